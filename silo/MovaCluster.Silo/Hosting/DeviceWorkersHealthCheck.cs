using Microsoft.Extensions.Diagnostics.HealthChecks;
using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.Silo.Hosting;

/// <summary>
/// This silo's device workers: healthy once every one has loaded its model, degraded while any is still loading (it
/// registers and takes jobs once loaded), unhealthy when one failed to load, with why.
/// </summary>
public sealed class DeviceWorkersHealthCheck(DeviceWorkerPool pool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var workers = pool.Readiness();
        var description = string.Join("; ", workers.Select(worker => worker.State switch
        {
            DeviceWorkerState.Ready => $"{worker.Device}: ready, serving {worker.Model}",
            DeviceWorkerState.Failed => $"{worker.Device}: failed to load its model: {worker.Error}",
            DeviceWorkerState.Loading => $"{worker.Device}: loading its model",
            _ => $"{worker.Device}: not started yet",
        }));
        return Task.FromResult(
            workers.Any(worker => worker.State == DeviceWorkerState.Failed) ? HealthCheckResult.Unhealthy(description)
            : workers.All(worker => worker.State == DeviceWorkerState.Ready) ? HealthCheckResult.Healthy(description)
            : HealthCheckResult.Degraded(description));
    }
}
