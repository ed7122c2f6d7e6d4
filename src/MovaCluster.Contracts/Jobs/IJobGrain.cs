using MovaCluster.Contracts.Progress;
using Orleans.Concurrency;

namespace MovaCluster.Contracts.Jobs;

/// <summary>
/// One generation job (key: the job id). Owns the job's persistent state machine
/// (queued -> running -> completed | failed | cancelled) and its progress stream.
/// Worker-facing methods carry the attempt number; calls from an older attempt are ignored.
/// </summary>
[Alias("MovaCluster.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Accepts the job and queues it; submitting the same id again returns the existing job.</summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(JobSubmission submission);

    [Alias("Get")]
    Task<JobSnapshot> GetAsync();

    /// <summary>Cancels: a queued job leaves the queue at once, a running one stops at the next step boundary.</summary>
    [Alias("Cancel")]
    Task<JobSnapshot> CancelAsync();

    /// <summary>Moves a queued job to another priority class (operator action); a job already running keeps its class.</summary>
    [Alias("Reprioritize")]
    Task<JobSnapshot> ReprioritizeAsync(JobPriority priority);

    /// <summary>
    /// Undoes a submission whose create failed after it (the gateway could not record the video): a queued job leaves
    /// the queue and the grain forgets it, so the id can be submitted again; a job a worker already took is cancelled.
    /// Returns the job as it is afterwards (status <see cref="JobStatus.Unknown"/> once forgotten).
    /// </summary>
    [Alias("Withdraw")]
    Task<JobSnapshot> WithdrawAsync();

    /// <summary>
    /// Ends a job that waited too long for a worker serving its model: if no attempt ever started it, it leaves the
    /// queue and fails with <paramref name="error"/> (code <c>no_worker_available</c>) and the answer is true, so
    /// exactly one caller refunds it; otherwise nothing changes and the answer is false.
    /// </summary>
    [Alias("ExpireWait")]
    Task<bool> ExpireWaitAsync(string error);

    /// <summary>
    /// Buffered events with a sequence number above <paramref name="afterSequence"/>. A watcher subscribes to the
    /// job's stream first and then catches up here (as reconnecting clients do); the job's first event, queued at
    /// submission, is only here, since nobody can be watching a job before it exists.
    /// </summary>
    [Alias("GetEvents")]
    Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterSequence);

    /// <summary>A worker starts the given dispatch attempt.</summary>
    [Alias("Start")]
    Task<JobStartGrant> StartAsync(string workerId, int attempt, string modelName);

    /// <summary>
    /// Progress from the running attempt, in order; the grain numbers, persists and publishes it. False: stop running
    /// (cancellation was requested, or the attempt is no longer current).
    /// </summary>
    [Alias("Report")]
    Task<bool> ReportAsync(int attempt, IReadOnlyList<JobEvent> progress);

    /// <summary>The running attempt stored a checkpoint after <paramref name="completedSteps"/> steps.</summary>
    [Alias("RecordCheckpoint")]
    Task RecordCheckpointAsync(int attempt, int completedSteps);

    [Alias("Complete")]
    Task CompleteAsync(int attempt, ClipLocation clip);

    [Alias("Fail")]
    Task FailAsync(int attempt, string error);

    /// <summary>The running attempt stopped because cancellation was requested.</summary>
    [Alias("ConfirmCancelled")]
    Task ConfirmCancelledAsync(int attempt, int completedSteps);

    /// <summary>The queue put the job back in line because its worker was lost.</summary>
    [OneWay, Alias("Requeue")]
    Task RequeueAsync(int lostAttempt, int position, TimeSpan? estimatedWait);
}
