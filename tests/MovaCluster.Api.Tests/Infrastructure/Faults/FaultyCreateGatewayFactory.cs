using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MovaCluster.Api.Videos;
using MovaCluster.Api.Waiting;
using MovaCluster.Api.Webhooks;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>
/// The embedded cluster (synthetic device at 200 ms per step, so a job a worker takes is still running when its create
/// is undone) whose index, worker wait list and webhook watch list are the real in-memory stores behind decorators
/// that fail where <see cref="Faults"/> says. Videos for mova-360p (which no worker serves) wait for a worker.
/// </summary>
public sealed class FaultyCreateGatewayFactory : GatewayFactory
{
    public FaultyCreateGatewayFactory()
    {
        With("Mova:Execution:Executor", "Synthetic");
        With("Mova:Execution:Synthetic:StepDelay", "00:00:00.200");
        With("Mova:Gateway:WorkerWait", "00:10:00");
    }

    public CreateFaults Faults { get; } = new();

    public FaultyWorkerWaitList Waits => (FaultyWorkerWaitList)Services.GetRequiredService<IWorkerWaitList>();

    public FaultyWebhookWatchList Watches => (FaultyWebhookWatchList)Services.GetRequiredService<IWebhookWatchList>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Faults);
            services.Replace(ServiceDescriptor.Singleton<IVideoIndex>(provider => new FaultyVideoIndex(new InMemoryVideoIndex(), Faults)));
            services.Replace(ServiceDescriptor.Singleton<IWorkerWaitList>(provider => new FaultyWorkerWaitList(new InMemoryWorkerWaitList(), Faults)));
            services.Replace(ServiceDescriptor.Singleton<IWebhookWatchList>(provider => new FaultyWebhookWatchList(new InMemoryWebhookWatchList(), Faults)));
        });
    }
}
