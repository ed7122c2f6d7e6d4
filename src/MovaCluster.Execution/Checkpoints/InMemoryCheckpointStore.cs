using System.Collections.Concurrent;

namespace MovaCluster.Execution.Checkpoints;

/// <summary>Checkpoints in process memory: enough for the single-process embedded default, lost with the process.</summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, byte[]> _checkpoints = new(StringComparer.Ordinal);

    public Task SaveAsync(string jobId, DenoiseCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _checkpoints[jobId] = DenoiseCheckpointCodec.Encode(checkpoint);
        return Task.CompletedTask;
    }

    public Task<DenoiseCheckpoint?> LoadAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_checkpoints.TryGetValue(jobId, out var bytes) ? DenoiseCheckpointCodec.Decode(bytes) : null);

    public Task DeleteAsync(string jobId, CancellationToken cancellationToken)
    {
        _checkpoints.TryRemove(jobId, out _);
        return Task.CompletedTask;
    }
}
