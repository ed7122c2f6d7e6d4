namespace MovaCluster.Contracts.Jobs;

/// <summary>Where a job is in its life.</summary>
[GenerateSerializer, Alias("MovaCluster.JobStatus")]
public enum JobStatus
{
    /// <summary>No job with this id was ever accepted.</summary>
    Unknown = 0,
    Queued = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}
