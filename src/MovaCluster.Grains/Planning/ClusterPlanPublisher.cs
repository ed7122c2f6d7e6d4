using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Planning;
using MovaCluster.Planning;

namespace MovaCluster.Grains.Planning;

/// <summary>
/// Plans once the silo is up and publishes the result to <see cref="IClusterPlanGrain"/>. A fleet that nothing fits is
/// reported (log and API) rather than stopping the silo: the plan is what the operator reads to size the fleet.
/// </summary>
public sealed partial class ClusterPlanPublisher(
    ClusterPlanService planner,
    IOptions<PlannerOptions> options,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<ClusterPlanPublisher> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var view = new ClusterPlanView
        {
            Reason = string.IsNullOrWhiteSpace(settings.Plan) ? settings.Objective.ToString() : "pinned",
            GpuCount = settings.GpuCount,
            Gpu = settings.Device().Name,
            Resolution = settings.Resolution,
            ChosenAt = time.GetUtcNow(),
            Silo = silo.SiloAddress.ToString(),
        };
        try
        {
            var active = planner.Active;
            view = view with
            {
                Plan = active.Plan.Name,
                PredictedJobsPerHour = active.JobsPerHour,
                PredictedLatencySeconds = active.JobLatencySeconds,
                PeakDeviceGiB = active.PeakDeviceBytes / (double)(1L << 30),
                Replicas = active.Replicas,
                GpusPerReplica = active.Plan.GpusPerReplica,
                ExpertResidency = active.Layout?.Residency.ToString(),
            };
        }
        catch (InvalidOperationException error)
        {
            LogNoPlan(logger, error.Message);
            view = view with { Error = error.Message };
        }

        await grains.GetGrain<IClusterPlanGrain>(0).PublishAsync(view);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "No execution plan fits the configured fleet: {Reason}")]
    private static partial void LogNoPlan(ILogger logger, string reason);
}
