namespace MovaCluster.Contracts.Workers;

/// <summary>A worker as the registry sees it.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.RegisteredWorker")]
public sealed record RegisteredWorker
{
    [Id(0)] public required WorkerDescriptor Worker { get; init; }

    [Id(1)] public DateTimeOffset LastHeartbeat { get; init; }

    [Id(2)] public string? RunningJobId { get; init; }
}
