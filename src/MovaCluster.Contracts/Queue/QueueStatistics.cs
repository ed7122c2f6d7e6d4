namespace MovaCluster.Contracts.Queue;

/// <summary>Queue depth and load, for dashboards and autoscaling.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.QueueStatistics")]
public sealed record QueueStatistics
{
    [Id(0)] public int Queued { get; init; }

    [Id(1)] public int Running { get; init; }

    [Id(2)] public int KnownWorkers { get; init; }

    [Id(3)] public double? MillisecondsPerStep { get; init; }

    [Id(4)] public IReadOnlyList<TenantQueueStatistics> Tenants { get; init; } = [];

    /// <summary>Jobs put back in the queue because their worker was lost or stopped answering.</summary>
    [Id(5)] public long Requeued { get; init; }
}
