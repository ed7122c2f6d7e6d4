using System.Collections.Concurrent;

namespace MovaCluster.Execution.Lora;

/// <summary>
/// Which adapters each local device holds, published by its executor from the device thread and read by the worker
/// grain for its work requests and heartbeats (so the queue can prefer the worker that holds a job's adapters).
/// </summary>
public sealed class LoraResidency
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _held = new(StringComparer.Ordinal);

    /// <summary>Replaces what <paramref name="device"/> holds (digests, most recently used first).</summary>
    public void Publish(string device, IReadOnlyList<string> digests)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(digests);
        _held[device] = [.. digests];
    }

    /// <summary>The digests <paramref name="device"/> holds, most recently used first; empty when none.</summary>
    public IReadOnlyList<string> HeldBy(string device) => _held.TryGetValue(device, out var held) ? held : [];
}
