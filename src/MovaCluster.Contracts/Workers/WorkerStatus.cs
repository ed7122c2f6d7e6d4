namespace MovaCluster.Contracts.Workers;

/// <summary>A worker's own view of itself.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.WorkerStatus")]
public sealed record WorkerStatus
{
    [Id(0)] public required WorkerDescriptor Worker { get; init; }

    [Id(1)] public string? RunningJobId { get; init; }

    [Id(2)] public long JobsRun { get; init; }
}
