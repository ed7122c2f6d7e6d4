namespace MovaCluster.Contracts.Workers;

/// <summary>A worker's own view of itself.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.WorkerStatus")]
public sealed record WorkerStatus
{
    [Id(0)] public required WorkerDescriptor Worker { get; init; }

    [Id(1)] public string? RunningJobId { get; init; }

    [Id(2)] public long JobsRun { get; init; }

    /// <summary>Busy fraction (0..1) of the device in consecutive buckets of <see cref="UtilisationBucket"/>, oldest first, the last one current.</summary>
    [Id(3)] public IReadOnlyList<double> Utilisation { get; init; } = [];

    /// <summary>Length of one utilisation bucket.</summary>
    [Id(4)] public TimeSpan UtilisationBucket { get; init; }
}
