namespace MovaCluster.Contracts.Jobs;

/// <summary>The job grain's answer when a worker wants to start an attempt.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobStartGrant")]
public sealed record JobStartGrant
{
    /// <summary>False: the job is finished, cancelled or owned by a newer attempt; the worker drops it.</summary>
    [Id(0)] public bool Granted { get; init; }

    [Id(1)] public GenerationRequest? Request { get; init; }

    /// <summary>The seed to use (drawn at submission when the request had none).</summary>
    [Id(2)] public long Seed { get; init; }

    /// <summary>Denoising steps already checkpointed by an earlier attempt; 0 starts from scratch.</summary>
    [Id(3)] public int CheckpointStep { get; init; }

    public static JobStartGrant Refused { get; } = new() { Granted = false };
}
