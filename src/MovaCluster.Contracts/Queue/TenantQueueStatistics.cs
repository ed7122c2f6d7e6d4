namespace MovaCluster.Contracts.Queue;

/// <summary>Per-tenant counts.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.TenantQueueStatistics")]
public sealed record TenantQueueStatistics
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public int Queued { get; init; }

    [Id(2)] public int Running { get; init; }
}
