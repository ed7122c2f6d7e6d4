using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using Orleans.Runtime.Messaging;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// The job grain as a running attempt talks to it. When the job grain's silo dies, calls fail until the cluster
/// declares the silo dead and the grain is reactivated elsewhere; the worker keeps denoising meanwhile, so a
/// transient failure is retried (with backoff, for up to <see cref="WorkerOptions.JobCallRetryWindow"/>) instead of
/// failing the job. Every worker-facing transition is idempotent per attempt, so a repeated call is harmless.
/// It runs on the thread pool with the rest of the attempt (never in a grain turn), hence the plain awaits.
/// </summary>
internal sealed partial class RetryingJobProxy(IJobGrain inner, TimeSpan window, ILogger logger, CancellationToken stopping) : IJobGrain
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    public Task<SubmitResult> SubmitAsync(JobSubmission submission) => RetryAsync(() => inner.SubmitAsync(submission));

    public Task<JobSnapshot> GetAsync() => RetryAsync(inner.GetAsync);

    public Task<JobSnapshot> CancelAsync() => RetryAsync(inner.CancelAsync);

    public Task<JobSnapshot> ReprioritizeAsync(JobPriority priority) => RetryAsync(() => inner.ReprioritizeAsync(priority));

    public Task<JobSnapshot> WithdrawAsync() => RetryAsync(inner.WithdrawAsync);

    public Task<bool> ExpireWaitAsync(string error) => RetryAsync(() => inner.ExpireWaitAsync(error));

    public Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterSequence) => RetryAsync(() => inner.GetEventsAsync(afterSequence));

    public Task<JobStartGrant> StartAsync(string workerId, int attempt, string modelName) => RetryAsync(() => inner.StartAsync(workerId, attempt, modelName));

    public Task<bool> ReportAsync(int attempt, IReadOnlyList<JobEvent> progress) => RetryAsync(() => inner.ReportAsync(attempt, progress));

    public Task RecordCheckpointAsync(int attempt, int completedSteps) => RetryAsync(() => inner.RecordCheckpointAsync(attempt, completedSteps));

    public Task CompleteAsync(int attempt, ClipLocation clip) => RetryAsync(() => inner.CompleteAsync(attempt, clip));

    public Task FailAsync(int attempt, string error) => RetryAsync(() => inner.FailAsync(attempt, error));

    public Task ConfirmCancelledAsync(int attempt, int completedSteps) => RetryAsync(() => inner.ConfirmCancelledAsync(attempt, completedSteps));

    public Task RequeueAsync(int lostAttempt, int position, TimeSpan? estimatedWait) => RetryAsync(() => inner.RequeueAsync(lostAttempt, position, estimatedWait));

    private async Task RetryAsync(Func<Task> call) => await RetryAsync(async () =>
    {
        await call();
        return true;
    });

    private async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + window;
        var delay = FirstDelay;
        for (var retry = 1; ; retry++)
        {
            try
            {
                return await call();
            }
            catch (Exception failure) when (IsTransient(failure) && DateTime.UtcNow + delay < deadline && !stopping.IsCancellationRequested)
            {
                LogRetrying(failure.GetType().Name, retry, delay);
                await Task.Delay(delay, stopping);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }

    private static bool IsTransient(Exception failure) =>
        failure is OrleansMessageRejectionException or ConnectionFailedException or TimeoutException;

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "The job grain is unreachable ({Failure}); retry {Retry} in {Delay}")]
    private partial void LogRetrying(string failure, int retry, TimeSpan delay);
}
