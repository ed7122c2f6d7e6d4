using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Workers;
using MovaCluster.Model.Execution;

namespace MovaCluster.Grains.Hosting;

/// <summary>
/// Once the silo is active, activates one worker grain per local device. It does not hold up silo start: loading
/// weights can take minutes, and a worker only registers once its executor is ready.
/// </summary>
internal sealed partial class DeviceWorkerStarter(
    DeviceWorkerPool pool,
    ILocalSiloDetails silo,
    IGrainFactory grains,
    ILogger<DeviceWorkerStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeviceWorkerStarter), ServiceLifecycleStage.Active, Start);

    private Task Start(CancellationToken cancellationToken)
    {
        foreach (var device in pool.DeviceNames)
        {
            _ = Task.Run(() => StartWorkerAsync(device), CancellationToken.None);
        }

        return Task.CompletedTask;
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
    }

    [LoggerMessage(EventId = 6601, Level = LogLevel.Information, Message = "Worker {WorkerId} started with model {Model}; output is noise: {OutputIsNoise}")]
    private partial void LogStarted(string workerId, string model, bool outputIsNoise);

    [LoggerMessage(EventId = 6602, Level = LogLevel.Error, Message = "Worker {WorkerId} could not start")]
    private partial void LogStartFailed(Exception exception, string workerId);
}
