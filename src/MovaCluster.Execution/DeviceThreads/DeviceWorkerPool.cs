using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovaCluster.Execution.DeviceThreads;

/// <summary>The device workers of this process, one per configured device, started on first use.</summary>
public sealed class DeviceWorkerPool(
    IOptions<ExecutionOptions> options,
    IGenerationExecutorFactory factory,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly Lazy<IReadOnlyDictionary<string, DeviceWorker>> _workers = new(() =>
        options.Value.EffectiveDevices.ToDictionary(
            name => name,
            name => new DeviceWorker(DeviceContext.Parse(name), factory, loggerFactory.CreateLogger<DeviceWorker>()),
            StringComparer.Ordinal));

    private readonly CancellationTokenSource _stopping = new();

    public IReadOnlyCollection<string> DeviceNames => [.. options.Value.EffectiveDevices];

    /// <summary>Cancelled when the process stops its workers; running jobs stop at the next step boundary.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Every local device worker's state (all <see cref="DeviceWorkerState.NotStarted"/> before the first is asked for).</summary>
    public IReadOnlyList<DeviceWorkerReadiness> Readiness() => _workers.IsValueCreated
        ? [.. _workers.Value.Values.Select(worker => worker.Readiness)]
        : [.. DeviceNames.Select(device => new DeviceWorkerReadiness(device, DeviceWorkerState.NotStarted))];

    /// <summary>The worker of a local device; throws when the device is not on this process.</summary>
    public DeviceWorker Get(string device) =>
        _workers.Value.TryGetValue(device, out var worker)
            ? worker
            : throw new InvalidOperationException(
                $"Device '{device}' is not on this silo (local devices: {string.Join(", ", options.Value.EffectiveDevices)}).");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (!_workers.IsValueCreated)
        {
            return;
        }

        foreach (var worker in _workers.Value.Values)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
