using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Contracts.Queue;

/// <summary>
/// The durable dispatch queue (one per cluster, key <see cref="DefaultKey"/>): priority classes, weighted fair
/// sharing between tenants, per-tenant limits, and leases on running jobs.
/// </summary>
[Alias("MovaCluster.IJobQueueGrain")]
public interface IJobQueueGrain : IGrainWithStringKey
{
    /// <summary>The key of the cluster's queue.</summary>
    public const string DefaultKey = "default";

    /// <summary>Adds a job (idempotent per job id) or refuses it with a reason.</summary>
    [Alias("Enqueue")]
    Task<EnqueueResult> EnqueueAsync(JobTicket ticket);

    /// <summary>Takes a queued job out of line; false when it was not queued.</summary>
    [Alias("Remove")]
    Task<bool> RemoveAsync(string jobId);

    /// <summary>Called by an idle worker: the next job it can run, or null (the worker is then woken on new work).</summary>
    [Alias("RequestWork")]
    Task<WorkAssignment?> RequestWorkAsync(WorkerDescriptor worker);

    /// <summary>Worker liveness; renews the lease of the job the worker runs.</summary>
    [Alias("Heartbeat")]
    Task HeartbeatAsync(WorkerDescriptor worker, string? runningJobId);

    /// <summary>Frees the lease of a job that reached a terminal state (or whose start was refused).</summary>
    [Alias("Finished")]
    Task FinishedAsync(string jobId, int attempt, double? millisecondsPerStep);

    [Alias("GetPosition")]
    Task<QueuePosition?> GetPositionAsync(string jobId);

    /// <summary>Adds a completed run's phase times to the running statistics ETAs come from.</summary>
    [Alias("RecordTimings")]
    Task RecordTimingsAsync(JobTimings timings);

    /// <summary>Predicted phase times of a job of this model, resolution ("WxH") and frame count.</summary>
    [Alias("Estimate")]
    Task<PhaseEstimate> EstimateAsync(string model, string resolution, int frameCount);

    /// <summary>Puts back in line every job that ran on workers of a silo that left the cluster.</summary>
    [Alias("RecoverSilo")]
    Task RecoverSiloAsync(string siloAddress);

    [Alias("GetStatistics")]
    Task<QueueStatistics> GetStatisticsAsync();

    /// <summary>Moves a queued job to another priority class, keeping its arrival order; false when it is not queued.</summary>
    [Alias("Reprioritize")]
    Task<bool> ReprioritizeAsync(string jobId, JobPriority priority);

    /// <summary>Every queued and running job with its ticket, for operator views (queued ones in dispatch order).</summary>
    [Alias("ListJobs")]
    Task<IReadOnlyList<QueueEntry>> ListJobsAsync();
}
