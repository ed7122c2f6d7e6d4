using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// The job grain as a running attempt talks to it. The grain may be unreachable for a while: its silo died and the
/// cluster has not yet moved it (retried for <see cref="WorkerOptions.JobCallRetryWindow"/>), or the store is down and
/// the grain cannot write (retried for <see cref="ResilienceOptions.OutageGrace"/>). The worker keeps denoising
/// meanwhile, so these calls are retried with backoff instead of failing the job; the last failure comes through once
/// the window is spent, and the attempt is then handed back to the queue. Every worker-facing transition is idempotent
/// per attempt, so a repeated call is harmless. It runs on the thread pool with the rest of the attempt (never in a
/// grain turn).
/// </summary>
internal sealed partial class RetryingJobProxy(IJobGrain inner, string jobId, OutageRetry retry, RetryWindow window, ILogger logger, CancellationToken stopping) : IJobGrain
{
    private long _unreachableSince;

    public Task<SubmitResult> SubmitAsync(JobSubmission submission) => CallAsync("submit", () => inner.SubmitAsync(submission));

    public Task<JobSnapshot> GetAsync() => CallAsync("get", inner.GetAsync);

    public Task<JobSnapshot> CancelAsync() => CallAsync("cancel", inner.CancelAsync);

    public Task<JobSnapshot> ReprioritizeAsync(JobPriority priority) => CallAsync("reprioritize", () => inner.ReprioritizeAsync(priority));

    public Task<JobSnapshot> WithdrawAsync() => CallAsync("withdraw", inner.WithdrawAsync);

    public Task<bool> ExpireWaitAsync(string error) => CallAsync("expire its wait", () => inner.ExpireWaitAsync(error));

    public Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterSequence) => CallAsync("read events", () => inner.GetEventsAsync(afterSequence));

    public Task<JobStartGrant> StartAsync(string workerId, int attempt, string modelName) => CallAsync("start", () => inner.StartAsync(workerId, attempt, modelName));

    public Task<bool> ReportAsync(int attempt, IReadOnlyList<JobEvent> progress) => CallAsync("report progress", () => inner.ReportAsync(attempt, progress));

    public Task RecordCheckpointAsync(int attempt, int completedSteps) => CallAsync("record a checkpoint", () => inner.RecordCheckpointAsync(attempt, completedSteps));

    public Task CompleteAsync(int attempt, ClipLocation clip) => CallAsync("complete", () => inner.CompleteAsync(attempt, clip));

    public Task FailAsync(int attempt, string error) => CallAsync("fail", () => inner.FailAsync(attempt, error));

    public Task ConfirmCancelledAsync(int attempt, int completedSteps) => CallAsync("confirm cancellation", () => inner.ConfirmCancelledAsync(attempt, completedSteps));

    public Task RequeueAsync(int lostAttempt, int position, TimeSpan? estimatedWait) => CallAsync("requeue", () => inner.RequeueAsync(lostAttempt, position, estimatedWait));

    private Task CallAsync(string what, Func<Task> call) => CallAsync(what, async () =>
    {
        await call();
        return true;
    });

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            var result = await retry.ExecuteAsync($"Job {jobId}: {what}", window, async _ =>
            {
                try
                {
                    return await call();
                }
                catch (Exception failure) when (TransientFailure.Is(failure))
                {
                    if (Interlocked.CompareExchange(ref _unreachableSince, Stopwatch.GetTimestamp(), 0) == 0)
                    {
                        LogUnreachable(jobId, failure.GetType().Name, TransientFailure.IsStoreOutage(failure) ? window.StoreOutage : window.ClusterChange);
                    }

                    throw;
                }
            }, stopping);
            if (Interlocked.Exchange(ref _unreachableSince, 0) is var since and not 0)
            {
                LogReachable(jobId, Stopwatch.GetElapsedTime(since));
            }

            return result;
        }
        catch (Exception failure) when (TransientFailure.Is(failure))
        {
            LogGaveUp(jobId, what, failure.GetType().Name);
            throw;
        }
    }

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "Job {JobId}: its job grain is unreachable ({Failure}); the attempt carries on and retries for up to {Window}")]
    private partial void LogUnreachable(string jobId, string failure, TimeSpan window);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Information, Message = "Job {JobId}: its job grain answers again after {Outage}")]
    private partial void LogReachable(string jobId, TimeSpan outage);

    [LoggerMessage(EventId = 6307, Level = LogLevel.Warning, Message = "Job {JobId}: gave up trying to {What} ({Failure}) after its retry window")]
    private partial void LogGaveUp(string jobId, string what, string failure);
}
