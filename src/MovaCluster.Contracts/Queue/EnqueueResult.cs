using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Queue;

/// <summary>The queue's answer to an enqueue: a place in line, or a refusal with a reason.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.EnqueueResult")]
public sealed record EnqueueResult
{
    [Id(0)] public bool Accepted { get; init; }

    [Id(1)] public int Position { get; init; }

    [Id(2)] public TimeSpan? EstimatedWait { get; init; }

    [Id(3)] public RejectionReason Reason { get; init; }

    [Id(4)] public string? Message { get; init; }

    /// <summary>The job's own predicted run once started.</summary>
    [Id(5)] public TimeSpan? EstimatedRun { get; init; }
}
