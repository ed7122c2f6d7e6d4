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

    /// <summary>
    /// Why the job waits beyond its turn: <see cref="WaitingForWorker"/> (no live worker serves its model yet) or
    /// <see cref="WorkerLost"/> (back in line after its worker was lost); null for an ordinary place in line.
    /// </summary>
    [Id(2)] public string? Reason { get; init; }

    public const string WaitingForWorker = "waiting_for_worker";

    public const string WorkerLost = "worker_lost";

    /// <summary>Expected time until the job completes: the wait plus its own predicted run.</summary>
    [Id(3)] public TimeSpan? EstimatedRemaining { get; init; }
}
