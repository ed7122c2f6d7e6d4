using System.Collections.Concurrent;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// The attempt each local worker is running, kept by the silo rather than by the worker grain's activation: Orleans
/// may deactivate a worker grain while its device is busy (its directory entry lived on a silo that died), and the
/// next activation adopts the run instead of abandoning a healthy job.
/// </summary>
internal sealed class DeviceRuns
{
    private readonly ConcurrentDictionary<string, (JobRunner Run, Task Running)> _runs = new(StringComparer.Ordinal);

    /// <summary>Starts <paramref name="run"/> on the thread pool as the worker's current run; it is forgotten when it ends.</summary>
    public Task Start(string workerId, JobRunner run)
    {
        var running = Task.Run(run.RunAsync);
        _runs[workerId] = (run, running);
        _ = running.ContinueWith(_ => _runs.TryRemove(new KeyValuePair<string, (JobRunner, Task)>(workerId, (run, running))), TaskScheduler.Default);
        return running;
    }

    /// <summary>The run still going on the worker's device, if any.</summary>
    public bool TryGet(string workerId, out JobRunner run, out Task running)
    {
        if (_runs.TryGetValue(workerId, out var current) && !current.Running.IsCompleted)
        {
            (run, running) = current;
            return true;
        }

        (run, running) = (null!, Task.CompletedTask);
        return false;
    }
}
