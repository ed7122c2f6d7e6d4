namespace MovaCluster.Contracts.Progress;

/// <summary>A worker took the job.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobStartedEvent")]
public sealed record JobStartedEvent : JobEvent
{
    [Id(0)] public required string WorkerId { get; init; }

    [Id(1)] public int Attempt { get; init; }

    /// <summary>Denoising steps already done by an earlier attempt (resume from checkpoint); 0 for a fresh start.</summary>
    [Id(2)] public int ResumedFromStep { get; init; }

    [Id(3)] public string? ModelName { get; init; }
}
