namespace MovaCluster.Contracts.Queue;

/// <summary>Where a queued job stands: jobs ahead of it and the expected wait.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.QueuePosition")]
public sealed record QueuePosition
{
    [Id(0)] public int Position { get; init; }

    [Id(1)] public TimeSpan? EstimatedWait { get; init; }
}
