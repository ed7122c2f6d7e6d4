namespace MovaCluster.Contracts.Queue;

/// <summary>A job handed to a worker. The attempt number fences off workers from earlier dispatches.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.WorkAssignment")]
public sealed record WorkAssignment
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public int Attempt { get; init; }

    [Id(2)] public required string TenantId { get; init; }

    /// <summary>W3C traceparent of the job's submission (from its ticket); the worker's run span is its child.</summary>
    [Id(3)] public string? TraceParent { get; init; }
}
