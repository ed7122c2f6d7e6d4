namespace MovaCluster.Contracts.Progress;

/// <summary>
/// The job entered (or, after a worker was lost, re-entered) the queue. Gateways also send unnumbered ones (sequence
/// 0, never stored) to the job's watchers while it waits, whenever its place in line or its estimate changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobQueuedEvent")]
public sealed record JobQueuedEvent : JobEvent
{
    /// <summary>Jobs dispatched before this one; 0 means next.</summary>
    [Id(0)] public int Position { get; init; }

    /// <summary>Expected time until a worker starts the job.</summary>
    [Id(1)] public TimeSpan? EstimatedWait { get; init; }

    /// <summary>Expected time until the job completes: the wait plus its own predicted run.</summary>
    [Id(2)] public TimeSpan? EstimatedRemaining { get; init; }
}
