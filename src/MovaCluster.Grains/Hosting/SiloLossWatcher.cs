using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Grains.Hosting;

/// <summary>
/// Runs on every silo: follows cluster membership and, when a silo is declared dead, drops its workers from the
/// registry and has the queue requeue the jobs they were running. Several silos may report the same loss; both
/// targets treat repeats as no-ops.
/// </summary>
internal sealed partial class SiloLossWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILogger<SiloLossWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watching;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloLossWatcher), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _watching = Task.Run(WatchAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_watching is not null)
        {
            await _watching.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task WatchAsync()
    {
        var handled = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                foreach (var member in snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && handled.Add(m.SiloAddress)))
                {
                    await RecoverAsync(member.SiloAddress, member.Name);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Silo shutdown.
        }
    }

    private async Task RecoverAsync(SiloAddress silo, string name)
    {
        var address = silo.ToParsableString();
        LogSiloDead(name, address);
        try
        {
            await grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).RemoveSiloAsync(address);
            await grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).RecoverSiloAsync(address);
        }
        catch (Exception failure)
        {
            LogRecoveryFailed(failure, name);
        }
    }

    [LoggerMessage(EventId = 6501, Level = LogLevel.Warning, Message = "Silo {SiloName} ({SiloAddress}) left the cluster; recovering its workers' jobs")]
    private partial void LogSiloDead(string siloName, string siloAddress);

    [LoggerMessage(EventId = 6502, Level = LogLevel.Error, Message = "Recovering the jobs of silo {SiloName} failed; lease expiry will requeue them")]
    private partial void LogRecoveryFailed(Exception exception, string siloName);
}
