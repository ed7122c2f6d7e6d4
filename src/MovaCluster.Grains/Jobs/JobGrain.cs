using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Grains.Telemetry;
using Orleans.Streams;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// The state machine of one job. Every transition is written before it is announced; transitions from the
/// wrong state, or from an attempt other than the current one, are ignored, so retries and zombie workers are
/// harmless and a finished job never runs again.
/// </summary>
internal sealed partial class JobGrain(
    [PersistentState("job", StorageNames.Jobs)] IPersistentState<JobState> state,
    [PersistentState("job-image", StorageNames.Jobs)] IPersistentState<JobReferenceImage> image,
    ICheckpointStore checkpoints,
    IJobEventLog eventLog,
    IOptions<JobOptions> options,
    TimeProvider time,
    MovaMetrics metrics,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly JobEventBuffer _recent = new(options.Value.EventBufferSize);
    private IAsyncStream<JobEvent>? _stream;

    /// <summary>Error code of a run that failed.</summary>
    public const string GenerationFailed = "generation_failed";

    /// <summary>Error code of a job that waited for a worker serving its model past its deadline.</summary>
    public const string NoWorkerAvailable = "no_worker_available";

    private string JobId => this.GetPrimaryKeyString();

    private JobState Job => state.State;

    private IJobQueueGrain Queue => GrainFactory.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(StreamNames.Provider).GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, JobId));
        if (Job.Status != JobStatus.Unknown)
        {
            // Events are logged before the state that counts them is written: a silo that died in between left
            // logged events this state does not count, and their numbers must not be handed out again.
            Job.LastSequence = Math.Max(Job.LastSequence, await eventLog.LastSequenceAsync(JobId));
        }

        if (Job.Request?.ReferenceImage is { } stored)
        {
            // State written before images were kept apart: move the image out once, before any stripped write.
            if (!Job.IsTerminal && image.State.Bytes is null)
            {
                image.State.Bytes = stored;
                await image.WriteStateAsync(cancellationToken);
            }

            Job.Request = Job.Request with { ReferenceImage = null };
        }
    }

    public async Task<SubmitResult> SubmitAsync(JobSubmission submission)
    {
        if (Job.Withdrawn && Job.IsTerminal)
        {
            // The create that submitted it failed and the job stopped: this is that create again, and it starts afresh.
            state.State = new JobState { LastSequence = Job.LastSequence, Attempt = Job.Attempt };
        }

        if (Job.Withdrawn)
        {
            return SubmitResult.Reject(RejectionReason.AlreadyExists,
                $"Job {JobId} is still being withdrawn after a failed create (its worker stops at the next step); retry in a few seconds.");
        }

        if (Job.Status != JobStatus.Unknown)
        {
            return SubmitResult.Accept(await GetAsync());
        }

        if (JobRequestValidator.Validate(submission, options.Value) is { } problem)
        {
            return SubmitResult.Reject(RejectionReason.InvalidRequest, $"Job {JobId} is invalid: {problem}.");
        }

        var request = submission.Request;
        var createdAt = time.GetUtcNow();
        var ticket = new JobTicket
        {
            JobId = JobId,
            TenantId = submission.TenantId,
            Priority = submission.Priority,
            Model = request.Model ?? "",
            Volume = request.Volume,
            Steps = request.Steps,
            EnqueuedAt = createdAt,
            Resolution = $"{request.Width}x{request.Height}",
            TraceParent = JobTracing.CurrentTraceParent(),
            LoraDigests = [.. request.Loras.Select(lora => lora.Digest)],
        };

        // Queued first, written once after: a ticket whose job state never got written (this silo died in between)
        // is refused by StartAsync and dropped by the worker, while a refused ticket leaves no state to undo.
        var placed = await Queue.EnqueueAsync(ticket);
        if (!placed.Accepted)
        {
            LogRejected(JobId, submission.TenantId, placed.Reason, placed.Message ?? "");
            return SubmitResult.Reject(placed.Reason, placed.Message ?? $"Job {JobId} was rejected ({placed.Reason}).");
        }

        Job.Status = JobStatus.Queued;
        Job.TenantId = submission.TenantId;
        Job.Priority = submission.Priority;
        Job.Request = request with { ReferenceImage = null };
        Job.Seed = request.Seed ?? Random.Shared.NextInt64(0, 1L << 53);
        Job.TotalSteps = request.Steps;
        Job.CreatedAt = createdAt;
        LogQueued(JobId, submission.TenantId, submission.Priority, placed.Position);

        // Nobody can watch a job before its create has answered (the gateway indexes the video after this call), and
        // every watcher subscribes before it catches up from the buffer: the first event needs no stream delivery,
        // which spares each create the stream's pub-sub rendezvous.
        try
        {
            if (request.ReferenceImage is { } reference)
            {
                image.State.Bytes = reference;
                await image.WriteStateAsync();
            }

            await RecordAsync([new JobQueuedEvent
            {
                Position = placed.Position,
                EstimatedWait = placed.EstimatedWait,
                Reason = submission.WaitingForWorker ? JobQueuedEvent.WaitingForWorker : null,
            }]);
        }
        catch
        {
            // The create fails, so it must leave nothing behind: a worker must not run a job nobody was told of.
            state.State = new JobState();
            await ForgetReferenceImageAsync();
            await Queue.RemoveAsync(JobId);
            throw;
        }

        return SubmitResult.Accept(Snapshot() with { QueuePosition = placed.Position, EstimatedRemaining = placed.EstimatedWait });
    }

    public async Task<JobSnapshot> GetAsync()
    {
        if (Job.Status != JobStatus.Queued)
        {
            return Snapshot();
        }

        var position = await Queue.GetPositionAsync(JobId);
        return Snapshot() with { QueuePosition = position?.Position, EstimatedRemaining = position?.EstimatedWait };
    }

    public async Task<JobSnapshot> CancelAsync()
    {
        switch (Job.Status)
        {
            case JobStatus.Queued:
                await Queue.RemoveAsync(JobId);
                await FinishAsync(JobStatus.Cancelled, new JobCancelledEvent { CompletedSteps = Job.CompletedSteps });
                LogCancelled(JobId, Job.Status);
                break;
            case JobStatus.Running when !Job.CancelRequested:
                Job.CancelRequested = true;
                await state.WriteStateAsync();
                if (Job.WorkerId is { } worker)
                {
                    await GrainFactory.GetGrain<IWorkerGrain>(worker).CancelJobAsync(JobId, Job.Attempt);
                }

                LogCancelRequested(JobId, Job.WorkerId ?? "");
                break;
        }

        return Snapshot();
    }

    /// <summary>
    /// From this activation's buffer when it reaches back far enough; otherwise (e.g. this grain was reactivated
    /// after its silo died) from the job's event log.
    /// </summary>
    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(long afterSequence)
    {
        if (afterSequence >= Job.LastSequence || _recent.Covers(afterSequence))
        {
            return _recent.After(afterSequence);
        }

        var logged = await eventLog.ReadAfterAsync(JobId, afterSequence);
        return logged.Count > 0 ? logged : _recent.After(afterSequence);
    }

    public async Task<JobStartGrant> StartAsync(string workerId, int attempt, string modelName)
    {
        if (Job.IsTerminal || Job.Status == JobStatus.Unknown || attempt < Job.Attempt)
        {
            LogStartRefused(JobId, workerId, attempt, Job.Status, Job.Attempt);
            return JobStartGrant.Refused;
        }

        if (attempt > Job.Attempt || Job.Status != JobStatus.Running)
        {
            Job.Status = JobStatus.Running;
            Job.Attempt = attempt;
            Job.WorkerId = workerId;
            Job.ModelName = modelName;
            Job.Phase = JobPhase.None;
            Job.StartedAt ??= time.GetUtcNow();
            await state.WriteStateAsync();
            LogStarted(JobId, workerId, attempt, Job.CheckpointStep);
            await PublishAsync(new JobStartedEvent
            {
                WorkerId = workerId, Attempt = attempt, ResumedFromStep = Job.CheckpointStep, ModelName = modelName,
            });
        }

        // The one place the reference image leaves the grain: the worker needs it, no status read does.
        var request = image.State.Bytes is { } reference ? Job.Request! with { ReferenceImage = reference } : Job.Request;
        return new JobStartGrant { Granted = true, Request = request, Seed = Job.Seed, CheckpointStep = Job.CheckpointStep };
    }

    public async Task<bool> ReportAsync(int attempt, IReadOnlyList<JobEvent> progress)
    {
        if (!IsCurrent(attempt))
        {
            return false;
        }

        foreach (var item in progress)
        {
            switch (item)
            {
                case JobStepEvent step:
                    Job.CompletedSteps = step.Step;
                    Job.TotalSteps = step.TotalSteps;
                    Job.MillisecondsPerStep = step.MillisecondsPerStep;
                    metrics.RecordStep(step.MillisecondsPerStep, Job.ModelName, Job.WorkerId);
                    break;
                case JobPhaseEvent phase:
                    Job.Phase = phase.Phase;
                    break;
            }
        }

        await PublishAsync(progress);
        return !Job.CancelRequested;
    }

    public async Task RecordCheckpointAsync(int attempt, int completedSteps)
    {
        if (IsCurrent(attempt) && completedSteps > Job.CheckpointStep)
        {
            Job.CheckpointStep = completedSteps;
            await state.WriteStateAsync();
        }
    }

    public async Task CompleteAsync(int attempt, ClipLocation clip)
    {
        if (!IsCurrent(attempt))
        {
            LogStaleTransition(JobId, attempt, Job.Attempt, Job.Status, JobStatus.Completed);
            return;
        }

        Job.Clip = clip;
        await FinishAsync(JobStatus.Completed, new JobCompletedEvent { Clip = clip });
        LogCompleted(JobId, attempt, clip.Key);
    }

    public async Task FailAsync(int attempt, string error)
    {
        if (!IsCurrent(attempt))
        {
            LogStaleTransition(JobId, attempt, Job.Attempt, Job.Status, JobStatus.Failed);
            return;
        }

        Job.Error = error;
        Job.ErrorCode = GenerationFailed;
        await FinishAsync(JobStatus.Failed, new JobFailedEvent { Error = error, Code = GenerationFailed });
        LogFailed(JobId, attempt, error);
    }

    public async Task ConfirmCancelledAsync(int attempt, int completedSteps)
    {
        if (!IsCurrent(attempt))
        {
            LogStaleTransition(JobId, attempt, Job.Attempt, Job.Status, JobStatus.Cancelled);
            return;
        }

        await FinishAsync(JobStatus.Cancelled, new JobCancelledEvent { CompletedSteps = completedSteps });
        LogCancelled(JobId, JobStatus.Running);
    }

    public async Task RequeueAsync(int lostAttempt, int position, TimeSpan? estimatedWait)
    {
        if (!IsCurrent(lostAttempt))
        {
            return;
        }

        LogRequeued(JobId, lostAttempt, Job.WorkerId ?? "", Job.CheckpointStep);
        Job.Status = JobStatus.Queued;
        Job.Phase = JobPhase.None;
        Job.WorkerId = null;
        await state.WriteStateAsync();
        await PublishAsync(new JobQueuedEvent { Position = position, EstimatedWait = estimatedWait, Reason = JobQueuedEvent.WorkerLost });
    }

    private bool IsCurrent(int attempt) => Job.Status == JobStatus.Running && attempt == Job.Attempt;

    private async Task FinishAsync(JobStatus status, JobEvent announcement)
    {
        var wasRunning = Job.Status == JobStatus.Running;
        Job.Status = status;
        Job.Phase = JobPhase.None;
        Job.FinishedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        metrics.RecordFinished(status, Job.ModelName ?? Job.Request?.Model);
        await PublishAsync(announcement);
        if (wasRunning)
        {
            await Queue.FinishedAsync(JobId, Job.Attempt, Job.MillisecondsPerStep);
        }

        try
        {
            await checkpoints.DeleteAsync(JobId, CancellationToken.None);
        }
        catch (Exception failure)
        {
            LogCheckpointCleanupFailed(failure, JobId);
        }

        await ForgetReferenceImageAsync();
    }

    /// <summary>A finished job never starts again, so its image is of no more use.</summary>
    private async Task ForgetReferenceImageAsync()
    {
        if (image.State.Bytes is null)
        {
            return;
        }

        try
        {
            await image.ClearStateAsync();
        }
        catch (Exception failure)
        {
            LogImageCleanupFailed(failure, JobId);
        }
    }

    private Task PublishAsync(JobEvent progress) => PublishAsync([progress]);

    /// <summary>Records the events (see <see cref="RecordAsync"/>), then publishes them in order.</summary>
    private async Task PublishAsync(IReadOnlyList<JobEvent> progress)
    {
        foreach (var item in await RecordAsync(progress))
        {
            try
            {
                await _stream!.OnNextAsync(item);
            }
            catch (Exception failure)
            {
                LogPublishFailed(failure, JobId, item.Sequence);
            }
        }
    }

    /// <summary>
    /// Numbers the events, appends them to the job's event log, persists the new sequence with the state (one
    /// write) and keeps them for catch-up. Events stamped where they happened (workers stamp theirs on the device's
    /// host) keep that time; others get now.
    /// </summary>
    private async Task<List<JobEvent>> RecordAsync(IReadOnlyList<JobEvent> progress)
    {
        var now = time.GetUtcNow();
        var numbered = progress.Select(item => item with { JobId = JobId, Sequence = ++Job.LastSequence, Timestamp = item.Timestamp == default ? now : item.Timestamp }).ToList();
        try
        {
            await eventLog.AppendAsync(JobId, numbered, options.Value.EventBufferSize);
        }
        catch (Exception failure)
        {
            // The live stream and this activation's buffer still carry the events; only a later catch-up elsewhere misses them.
            LogEventLogFailed(failure, JobId, numbered[0].Sequence, numbered[^1].Sequence);
        }

        await state.WriteStateAsync();
        foreach (var item in numbered)
        {
            _recent.Add(item);
        }

        return numbered;
    }

    private JobSnapshot Snapshot() => new()
    {
        JobId = JobId,
        Status = Job.Status,
        Phase = Job.Phase,
        TenantId = Job.TenantId,
        Priority = Job.Priority,
        Request = Job.Request,
        Seed = Job.Seed,
        ModelName = Job.ModelName,
        CreatedAt = Job.CreatedAt,
        StartedAt = Job.StartedAt,
        FinishedAt = Job.FinishedAt,
        CompletedSteps = Job.CompletedSteps,
        TotalSteps = Job.TotalSteps,
        MillisecondsPerStep = Job.MillisecondsPerStep,
        EstimatedRemaining = Job is { Status: JobStatus.Running, MillisecondsPerStep: { } ms }
            ? TimeSpan.FromMilliseconds(ms * (Job.TotalSteps - Job.CompletedSteps))
            : null,
        WorkerId = Job.WorkerId,
        Attempt = Job.Attempt,
        Error = Job.Error,
        ErrorCode = Job.ErrorCode,
        Clip = Job.Clip,
        LastEventSequence = Job.LastSequence,
        CancelRequested = Job.CancelRequested,
    };
}
