using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Publishing;
using MovaCluster.Grains.Adapters;
using MovaCluster.Model.Lora;
using MovaCluster.Grains.Telemetry;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Runs one dispatched attempt outside any grain turn: start the job, load its checkpoint and fetch its LoRA files,
/// execute on the device thread, publish the clip, report the outcome. Grain calls go through the grain factory from
/// the thread pool; the device work is awaited, never run, here. An attempt that cannot reach its job grain or the
/// store within the retry windows is handed back to the queue (requeued, resumed from its checkpoint), never failed:
/// only the generation itself failing fails a job.
/// </summary>
internal sealed partial class JobRunner(
    IGrainFactory grains,
    WorkerDescriptor worker,
    WorkAssignment assignment,
    DeviceWorker device,
    ICheckpointStore checkpoints,
    IClipPublisher publisher,
    StepPreviewRenderer previews,
    LoraFileCache loraFiles,
    WorkerOptions options,
    OutageRetry retry,
    ILogger logger,
    CancellationToken workerStopping)
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(workerStopping);
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private ProgressLiveness? _liveness;

    public string JobId => assignment.JobId;

    public int Attempt => assignment.Attempt;

    /// <summary>Time since the run last made progress (a step or a phase change), or since it was created.</summary>
    public TimeSpan SinceLastProgress => _liveness?.SinceLastProgress ?? Stopwatch.GetElapsedTime(_createdAt);

    /// <summary>Stops the attempt at the next step boundary.</summary>
    public void Cancel() => _cancel.Cancel();

    private RetryWindow Window => new(retry.Settings.OutageGrace, options.JobCallRetryWindow);

    private IJobQueueGrain Queue => grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);

    public async Task RunAsync()
    {
        using var trace = JobTracing.StartRun(assignment, worker);
        var job = new RetryingJobProxy(grains.GetGrain<IJobGrain>(assignment.JobId), assignment.JobId, retry, Window, logger, workerStopping);
        try
        {
            await RunAttemptAsync(job).ConfigureAwait(false);
        }
        catch (Exception failure) when ((failure is AttemptLostException || TransientFailure.Is(failure)) && !workerStopping.IsCancellationRequested)
        {
            await HandBackAsync(failure).ConfigureAwait(false);
        }
        finally
        {
            _cancel.Dispose();
        }
    }

    private async Task RunAttemptAsync(RetryingJobProxy job)
    {
        var grant = await job.StartAsync(worker.WorkerId, assignment.Attempt, worker.ModelName).ConfigureAwait(false);
        if (!grant.Granted || grant.Request is not { } request)
        {
            await retry.ExecuteAsync($"Job {assignment.JobId}: releasing a refused start", Window,
                _ => Queue.FinishedAsync(assignment.JobId, assignment.Attempt, null), workerStopping).ConfigureAwait(false);
            return;
        }

        var resume = grant.CheckpointStep > 0
            ? await retry.ExecuteAsync($"Job {assignment.JobId}: loading its checkpoint", Window,
                token => checkpoints.LoadAsync(assignment.JobId, token), workerStopping).ConfigureAwait(false)
            : null;
        LoraFileLease loras;
        try
        {
            loras = await loraFiles.FetchAsync(request.Loras, _cancel.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException && !TransientFailure.Is(failure))
        {
            // A transient store failure goes back to the queue like any other (see RunAsync); this adapter cannot be run.
            LogFailed(failure, assignment.JobId, assignment.Attempt);
            await job.FailAsync(assignment.Attempt, $"The job's LoRA adapters could not be fetched: {FailureText.Describe(failure)}").ConfigureAwait(false);
            return;
        }

        using var heldFiles = loras;
        var pump = new ProgressPump(job, assignment.JobId, assignment.Attempt, options, checkpoints, previews, _cancel, logger);
        var liveness = new ProgressLiveness(pump);
        _liveness = liveness;
        var forwarding = Task.Run(pump.RunAsync);
        var generation = new GenerationJob { JobId = assignment.JobId, Request = request, Seed = grant.Seed, ResumeFrom = resume, LoraFolders = loras.Folders };
        LogRunning(assignment.JobId, worker.WorkerId, assignment.Attempt, resume?.CompletedSteps ?? 0);
        try
        {
            var token = _cancel.Token;
            var output = await device.RunAsync(executor => executor.Execute(generation, liveness, token)).ConfigureAwait(false);
            var publication = new ClipPublication(assignment.JobId, assignment.TenantId, worker.ModelName, grant.Seed);
            var clip = await publisher.PublishAsync(publication, output, liveness.OnPhase, token).ConfigureAwait(false);
            pump.Complete();
            await forwarding.ConfigureAwait(false);
            if (!pump.StoppedByJob)
            {
                await job.CompleteAsync(assignment.Attempt, new ClipLocation
                {
                    Key = clip.Key, ContentType = clip.ContentType, SizeBytes = clip.SizeBytes, Sha256 = clip.Sha256,
                }).ConfigureAwait(false);
            }
        }
        catch (Exception failure)
        {
            pump.Complete();
            await DrainAsync(forwarding).ConfigureAwait(false);
            if (workerStopping.IsCancellationRequested)
            {
                // The silo is going away: the job stays running on the queue's books, so it is requeued and resumes
                // from its checkpoint elsewhere. Reporting anything from here could only race that recovery.
                LogAbandoned(assignment.JobId, assignment.Attempt, pump.CompletedSteps);
                return;
            }

            if (pump.GaveUp || TransientFailure.Is(failure))
            {
                // The cluster, not the generation, failed: the attempt goes back to the queue (see RunAsync).
                throw new AttemptLostException(failure);
            }

            if (failure is OperationCanceledException && _cancel.IsCancellationRequested)
            {
                await job.ConfirmCancelledAsync(assignment.Attempt, pump.CompletedSteps).ConfigureAwait(false);
                return;
            }

            // The details stay in this log; the job's error (shown to API clients) names no internal type or host.
            LogFailed(failure, assignment.JobId, assignment.Attempt);
            if (failure is LoraAdapterException)
            {
                // Files that do not read as their digest must not serve the next job either.
                heldFiles.Dispose();
                loraFiles.Evict(loras.Folders.Keys);
            }

            await job.FailAsync(assignment.Attempt, FailureText.Describe(failure)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the attempt back: the queue requeues the job at once (its lease expiring does the same if this call cannot
    /// get through either), and the next attempt resumes from the last recorded checkpoint.
    /// </summary>
    private async Task HandBackAsync(Exception failure)
    {
        LogHandedBack(failure, assignment.JobId, assignment.Attempt);
        try
        {
            await retry.ExecuteAsync($"Job {assignment.JobId}: handing back attempt {assignment.Attempt}", RetryWindow.Both(options.JobCallRetryWindow),
                _ => Queue.AbandonAsync(assignment.JobId, assignment.Attempt), workerStopping).ConfigureAwait(false);
        }
        catch (Exception lost) when (TransientFailure.Is(lost) || lost is OperationCanceledException)
        {
            LogHandBackFailed(assignment.JobId, assignment.Attempt, lost.GetType().Name);
        }
    }

    private async Task DrainAsync(Task forwarding)
    {
        try
        {
            await forwarding.ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            LogForwardingFailed(failure, assignment.JobId, assignment.Attempt);
        }
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Debug, Message = "Job {JobId} running on {WorkerId}, attempt {Attempt}, from step {FromStep}")]
    private partial void LogRunning(string jobId, string workerId, int attempt, int fromStep);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} abandoned after {Steps} steps: the worker is stopping")]
    private partial void LogAbandoned(string jobId, int attempt, int steps);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt} failed")]
    private partial void LogFailed(Exception exception, string jobId, int attempt);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt}: forwarding progress to the job grain ended with an error")]
    private partial void LogForwardingFailed(Exception exception, string jobId, int attempt);

    [LoggerMessage(EventId = 6309, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} handed back to the queue: the cluster stayed unreachable beyond its retry window; it will resume from its last checkpoint")]
    private partial void LogHandedBack(Exception exception, string jobId, int attempt);

    [LoggerMessage(EventId = 6310, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the queue did not take it back ({Failure}); its lease expiry requeues it")]
    private partial void LogHandBackFailed(string jobId, int attempt, string failure);
}
