using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Workers;
using Orleans.Concurrency;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Live workers of the cluster. Kept in memory only: workers re-register with every heartbeat, so a fresh
/// activation is complete again within one heartbeat interval. A worker drops out when its silo leaves the
/// cluster (reported by <see cref="Hosting.SiloLossWatcher"/>) or when it misses three heartbeats.
/// </summary>
[Reentrant]
internal sealed class WorkerRegistryGrain(IOptions<WorkerOptions> options, TimeProvider time) : Grain, IWorkerRegistryGrain
{
    private readonly Dictionary<string, RegisteredWorker> _workers = new(StringComparer.Ordinal);

    public Task HeartbeatAsync(WorkerDescriptor worker, string? runningJobId)
    {
        _workers[worker.WorkerId] = new RegisteredWorker { Worker = worker, LastHeartbeat = time.GetUtcNow(), RunningJobId = runningJobId };
        return Task.CompletedTask;
    }

    public Task RemoveSiloAsync(string siloAddress)
    {
        foreach (var id in _workers.Values.Where(w => w.Worker.SiloAddress == siloAddress).Select(w => w.Worker.WorkerId).ToList())
        {
            _workers.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RegisteredWorker>> ListAsync()
    {
        var cutoff = time.GetUtcNow() - (3 * options.Value.HeartbeatInterval);
        IReadOnlyList<RegisteredWorker> live = _workers.Values
            .Where(w => w.LastHeartbeat >= cutoff)
            .OrderBy(w => w.Worker.WorkerId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(live);
    }
}
