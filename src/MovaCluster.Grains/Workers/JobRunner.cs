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

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Runs one dispatched attempt outside any grain turn: start the job, load its checkpoint and fetch its LoRA files,
/// execute on the device thread, publish the clip, report the outcome. Grain calls go through the grain factory from the thread pool;
/// the device work is awaited, never run, here.
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

    public async Task RunAsync()
    {
        using var trace = JobTracing.StartRun(assignment, worker);
        var job = new RetryingJobProxy(grains.GetGrain<IJobGrain>(assignment.JobId), options.JobCallRetryWindow, logger, workerStopping);
        var grant = await job.StartAsync(worker.WorkerId, assignment.Attempt, worker.ModelName).ConfigureAwait(false);
        if (!grant.Granted || grant.Request is not { } request)
        {
            await grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).FinishedAsync(assignment.JobId, assignment.Attempt, null).ConfigureAwait(false);
            return;
        }

        var resume = grant.CheckpointStep > 0 ? await checkpoints.LoadAsync(assignment.JobId, CancellationToken.None).ConfigureAwait(false) : null;
        LoraFileLease loras;
        try
        {
            loras = await loraFiles.FetchAsync(request.Loras, _cancel.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogFailed(failure, assignment.JobId, assignment.Attempt);
            await job.FailAsync(assignment.Attempt, $"The job's LoRA adapters could not be fetched: {failure.Message}").ConfigureAwait(false);
            return;
        }

        using var heldFiles = loras;
        var pump = new ProgressPump(job, assignment.JobId, assignment.Attempt, options, checkpoints, previews, _cancel);
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

            if (failure is OperationCanceledException && _cancel.IsCancellationRequested)
            {
                await job.ConfirmCancelledAsync(assignment.Attempt, pump.CompletedSteps).ConfigureAwait(false);
                return;
            }

            LogFailed(failure, assignment.JobId, assignment.Attempt);
            if (failure is LoraAdapterException)
            {
                // Files that do not read as their digest must not serve the next job either.
                heldFiles.Dispose();
                loraFiles.Evict(loras.Folders.Keys);
            }

            await job.FailAsync(assignment.Attempt, FailureText.Describe(failure)).ConfigureAwait(false);
        }
        finally
        {
            _cancel.Dispose();
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

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Job {JobId} running on {WorkerId}, attempt {Attempt}, from step {FromStep}")]
    private partial void LogRunning(string jobId, string workerId, int attempt, int fromStep);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} abandoned after {Steps} steps: the worker is stopping")]
    private partial void LogAbandoned(string jobId, int attempt, int steps);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt} failed")]
    private partial void LogFailed(Exception exception, string jobId, int attempt);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: forwarding progress to the job grain failed")]
    private partial void LogForwardingFailed(Exception exception, string jobId, int attempt);
}
