namespace MovaCluster.Execution.Checkpoints;

/// <summary>Durable home of denoising checkpoints, reachable from every worker in the cluster.</summary>
public interface ICheckpointStore
{
    Task SaveAsync(string jobId, DenoiseCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>The latest checkpoint of the job, or null.</summary>
    Task<DenoiseCheckpoint?> LoadAsync(string jobId, CancellationToken cancellationToken);

    Task DeleteAsync(string jobId, CancellationToken cancellationToken);
}
