namespace MovaCluster.Contracts.Progress;

/// <summary>The job entered (or, after a worker was lost, re-entered) the queue.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobQueuedEvent")]
public sealed record JobQueuedEvent : JobEvent
{
    /// <summary>Jobs dispatched before this one; 0 means next.</summary>
    [Id(0)] public int Position { get; init; }

    [Id(1)] public TimeSpan? EstimatedWait { get; init; }
}
