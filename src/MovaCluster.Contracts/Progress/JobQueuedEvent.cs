namespace MovaCluster.Contracts.Progress;

/// <summary>The job entered (or, after a worker was lost, re-entered) the queue.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobQueuedEvent")]
public sealed record JobQueuedEvent : JobEvent
{
    /// <summary>Jobs dispatched before this one; 0 means next.</summary>
    [Id(0)] public int Position { get; init; }

    [Id(1)] public TimeSpan? EstimatedWait { get; init; }

    /// <summary>
    /// Why the job waits beyond its turn: <see cref="WaitingForWorker"/> (no live worker serves its model yet) or
    /// <see cref="WorkerLost"/> (back in line after its worker was lost); null for an ordinary place in line.
    /// </summary>
    [Id(2)] public string? Reason { get; init; }

    public const string WaitingForWorker = "waiting_for_worker";

    public const string WorkerLost = "worker_lost";
}
