namespace MovaCluster.Contracts.Jobs;

/// <summary>A point-in-time view of a job, as clients see it.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobSnapshot")]
public sealed record JobSnapshot
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public JobStatus Status { get; init; }

    [Id(2)] public JobPhase Phase { get; init; }

    [Id(3)] public string TenantId { get; init; } = "";

    [Id(4)] public JobPriority Priority { get; init; }

    /// <summary>The request without its reference image: only the worker that starts the job receives the image.</summary>
    [Id(5)] public GenerationRequest? Request { get; init; }

    [Id(6)] public long Seed { get; init; }

    [Id(7)] public string? ModelName { get; init; }

    [Id(8)] public DateTimeOffset? CreatedAt { get; init; }

    [Id(9)] public DateTimeOffset? StartedAt { get; init; }

    [Id(10)] public DateTimeOffset? FinishedAt { get; init; }

    [Id(11)] public int CompletedSteps { get; init; }

    [Id(12)] public int TotalSteps { get; init; }

    [Id(13)] public double? MillisecondsPerStep { get; init; }

    [Id(14)] public int? QueuePosition { get; init; }

    [Id(15)] public TimeSpan? EstimatedRemaining { get; init; }

    [Id(16)] public string? WorkerId { get; init; }

    [Id(17)] public int Attempt { get; init; }

    [Id(18)] public string? Error { get; init; }

    [Id(19)] public ClipLocation? Clip { get; init; }

    /// <summary>Sequence number of the last progress event published for the job.</summary>
    [Id(20)] public long LastEventSequence { get; init; }

    [Id(21)] public bool CancelRequested { get; init; }

    /// <summary>Machine-readable kind of <see cref="Error"/>: <c>generation_failed</c> (the run failed) or <c>no_worker_available</c>.</summary>
    [Id(22)] public string? ErrorCode { get; init; }
}
