using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Grains.Jobs;

/// <summary>Persistent state of a job grain.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.JobState")]
public sealed class JobState
{
    [Id(0)] public JobStatus Status { get; set; }

    [Id(1)] public JobPhase Phase { get; set; }

    [Id(2)] public string TenantId { get; set; } = "";

    [Id(3)] public JobPriority Priority { get; set; }

    [Id(4)] public GenerationRequest? Request { get; set; }

    [Id(5)] public long Seed { get; set; }

    [Id(6)] public string? ModelName { get; set; }

    [Id(7)] public DateTimeOffset? CreatedAt { get; set; }

    [Id(8)] public DateTimeOffset? StartedAt { get; set; }

    [Id(9)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(10)] public int CompletedSteps { get; set; }

    [Id(11)] public int TotalSteps { get; set; }

    [Id(12)] public double? MillisecondsPerStep { get; set; }

    [Id(13)] public string? WorkerId { get; set; }

    [Id(14)] public int Attempt { get; set; }

    [Id(15)] public string? Error { get; set; }

    [Id(16)] public ClipLocation? Clip { get; set; }

    [Id(17)] public long LastSequence { get; set; }

    [Id(18)] public bool CancelRequested { get; set; }

    /// <summary>Steps covered by the latest stored checkpoint.</summary>
    [Id(19)] public int CheckpointStep { get; set; }

    [Id(20)] public string? ErrorCode { get; set; }

    /// <summary>The create that submitted the job failed after it; once the job has stopped, the id may be submitted anew.</summary>
    [Id(22)] public bool Withdrawn { get; set; }

    public bool IsTerminal => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
