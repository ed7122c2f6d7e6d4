using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Grains.Workers;

namespace MovaCluster.Grains.Hosting;

/// <summary>
/// Once the silo is active, activates one worker grain per local device, and keeps them active: a worker grain
/// whose grain-directory entry lived on a silo that died is deactivated by Orleans even though its device is
/// fine, so the workers are started again on every membership change and every few heartbeats (starting an
/// active worker only makes it ask for work). It never holds up silo start: loading weights can take minutes, and
/// a worker only registers once its executor is ready.
/// </summary>
internal sealed partial class DeviceWorkerStarter(
    DeviceWorkerPool pool,
    ILocalSiloDetails silo,
    IGrainFactory grains,
    IClusterMembershipService membership,
    IOptions<WorkerOptions> options,
    ILogger<DeviceWorkerStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int HeartbeatsBetweenChecks = 5;

    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _starting = [];
    private Task? _keeping;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeviceWorkerStarter), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        StartWorkers();
        _keeping = Task.WhenAll(
            Task.Run(RestartOnMembershipChangesAsync, CancellationToken.None),
            Task.Run(RestartPeriodicallyAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_keeping is not null)
        {
            await _keeping.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task RestartOnMembershipChangesAsync()
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                StartWorkers();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Silo shutdown.
        }
    }

    private async Task RestartPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval * HeartbeatsBetweenChecks);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                StartWorkers();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Silo shutdown.
        }
    }

    private void StartWorkers()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        foreach (var device in pool.DeviceNames)
        {
            lock (_starting)
            {
                // A start still waiting (e.g. for weights to load) covers this round too.
                if (!_starting.Add(device))
                {
                    continue;
                }
            }

            _ = Task.Run(() => StartWorkerAsync(device), CancellationToken.None);
        }
    }

    private async Task StartWorkerAsync(string device)
    {
        var id = WorkerId.For(silo.Name, device);
        try
        {
            var worker = await grains.GetGrain<IWorkerGrain>(id).StartAsync();
            LogStarted(id, worker.ModelName, worker.OutputIsNoise);
        }
        catch (Exception failure)
        {
            LogStartFailed(failure, id);
        }
        finally
        {
            lock (_starting)
            {
                _starting.Remove(device);
            }
        }
    }

    [LoggerMessage(EventId = 6601, Level = LogLevel.Debug, Message = "Worker {WorkerId} is active with model {Model}; output is noise: {OutputIsNoise}")]
    private partial void LogStarted(string workerId, string model, bool outputIsNoise);

    [LoggerMessage(EventId = 6602, Level = LogLevel.Error, Message = "Worker {WorkerId} could not start; the next membership change or check tries again")]
    private partial void LogStartFailed(Exception exception, string workerId);
}
