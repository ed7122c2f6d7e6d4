using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Faults;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Usage;
using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Grains.Telemetry;
using MovaCluster.Model.Caching;
using MovaCluster.ServiceDefaults.Resilience;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// The state machine of one job. Every transition is one state write, made before it is announced; transitions from
/// the wrong state, or from an attempt other than the current one, are ignored, so retries and zombie workers are
/// harmless and a finished job never runs again. A write the store refuses for longer than
/// <see cref="ResilienceOptions.StoreCallBudget"/> undoes the transition in memory and answers
/// <see cref="StoreUnavailableException"/>: the caller repeats the call once the store is back.
/// </summary>
internal sealed partial class JobGrain(
    [PersistentState("job", StorageNames.Jobs)] IPersistentState<JobState> state,
    [PersistentState("job-image", StorageNames.Jobs)] IPersistentState<JobReferenceImage> image,
    ICheckpointStore checkpoints,
    IJobEventLog eventLog,
    IOptions<JobOptions> options,
    IOptions<CachingOptions> caching,
    TimeProvider time,
    MovaMetrics metrics,
    OutageRetry retry,
    DeepCopier copier,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly JobEventBuffer _recent = new(options.Value.EventBufferSize);
    private readonly RunClock _clock = new();
    private PhaseEstimate? _estimate;
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
        CacheSettings? cache;
        try
        {
            cache = request.Cache is { Length: > 0 } tier ? CachePolicy.Tier(tier).Resolve(caching.Value.ToTiers()) : null;
        }
        catch (ArgumentException unknown)
        {
            return SubmitResult.Reject(RejectionReason.InvalidRequest, $"Job {JobId} is invalid: {unknown.Message}");
        }

        var createdAt = time.GetUtcNow();
        var ticket = new JobTicket
        {
            JobId = JobId,
            TenantId = submission.TenantId,
            Priority = submission.Priority,
            Model = request.Model ?? "",
            Volume = request.Volume,
            Steps = request.Steps,
            Work = CacheForecast.ExpectedWork(cache, request.Steps),
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

        // Nobody can watch a job before its create has answered (the gateway indexes the video after this call), and
        // every watcher subscribes before it catches up from the buffer: the first event needs no stream delivery,
        // which spares each create the stream's pub-sub rendezvous.
        var remaining = placed.EstimatedWait + placed.EstimatedRun;
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
                EstimatedRemaining = remaining,
                Reason = submission.WaitingForWorker ? JobQueuedEvent.WaitingForWorker : null,
            }]);
        }
        catch
        {
            // The create fails, so it must leave nothing behind: a worker must not run a job nobody was told of (a
            // ticket the queue still holds is refused at start). Numbers already handed out stay used.
            state.State = new JobState { LastSequence = Job.LastSequence };
            await ForgetReferenceImageAsync();
            await ForgetTicketAsync();
            throw;
        }

        LogQueued(JobId, submission.TenantId, submission.Priority, placed.Position);
        return SubmitResult.Accept(Snapshot() with { QueuePosition = placed.Position, EstimatedWait = placed.EstimatedWait, EstimatedRemaining = remaining });
    }

    public async Task<JobSnapshot> GetAsync()
    {
        if (Job.Status == JobStatus.Running)
        {
            await EnsureEstimateAsync();
        }

        if (Job.Status != JobStatus.Queued)
        {
            return Snapshot();
        }

        var position = await Queue.GetPositionAsync(JobId);
        return Snapshot() with
        {
            QueuePosition = position?.Position,
            EstimatedWait = position?.EstimatedWait,
            EstimatedRemaining = position?.EstimatedWait + position?.EstimatedRun,
        };
    }

    public Task<JobSnapshot> CancelAsync() => TransitionAsync(async () =>
    {
        switch (Job.Status)
        {
            case JobStatus.Queued:
                // Written first: a ticket left in the queue by a failed removal is refused at start, while a job
                // taken out of line whose cancellation was never written would wait forever.
                await FinishAsync(JobStatus.Cancelled, new JobCancelledEvent { CompletedSteps = Job.CompletedSteps });
                await ForgetTicketAsync();
                LogCancelled(JobId, JobStatus.Queued);
                break;
            case JobStatus.Running when !Job.CancelRequested:
                Job.CancelRequested = true;
                await WriteAsync();
                if (Job.WorkerId is { } worker)
                {
                    // The running attempt also learns it from the answer to its next progress report.
                    await TolerateAsync(() => GrainFactory.GetGrain<IWorkerGrain>(worker).CancelJobAsync(JobId, Job.Attempt), "telling its worker to stop");
                }

                LogCancelRequested(JobId, Job.WorkerId ?? "");
                break;
        }

        return Snapshot();
    });

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

    public Task<JobStartGrant> StartAsync(string workerId, int attempt, string modelName) => TransitionAsync(async () =>
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
            _clock.Start(time.GetUtcNow());
            await PublishAsync(new JobStartedEvent
            {
                WorkerId = workerId, Attempt = attempt, ResumedFromStep = Job.CheckpointStep, ModelName = modelName,
            });
            LogStarted(JobId, workerId, attempt, Job.CheckpointStep);
            await EnsureEstimateAsync();
        }

        // The one place the reference image leaves the grain: the worker needs it, no status read does.
        var request = image.State.Bytes is { } reference ? Job.Request! with { ReferenceImage = reference } : Job.Request;
        return new JobStartGrant { Granted = true, Request = request, Seed = Job.Seed, CheckpointStep = Job.CheckpointStep };
    });

    public Task<bool> ReportAsync(int attempt, IReadOnlyList<JobEvent> progress) => TransitionAsync(async () =>
    {
        if (!IsCurrent(attempt))
        {
            return false;
        }

        await EnsureEstimateAsync();
        // A resumed attempt redoes the steps after its checkpoint: those are not news, and progress never goes back.
        var news = new List<JobEvent>(progress.Count);
        foreach (var item in progress)
        {
            _clock.Observe(item);
            switch (item)
            {
                case JobStepEvent step when step.Step <= Job.CompletedSteps:
                    continue;
                case JobStepEvent step:
                    Job.CompletedSteps = step.Step;
                    Job.TotalSteps = step.TotalSteps;
                    Job.MillisecondsPerStep = step.MillisecondsPerStep;
                    Job.Cache = step.Cache ?? Job.Cache;
                    metrics.RecordStep(step.MillisecondsPerStep, Job.ModelName, Job.WorkerId);

                    // The worker knows its steps only; the rest of the run (decoding, muxing, uploading) comes from the statistics.
                    news.Add(_estimate is { } estimate
                        ? step with
                        {
                            EstimatedRemaining = CachedWorkFraction() is { } fraction
                                ? RemainingTime.Of(estimate, JobPhase.DenoisingLowNoise, TimeSpan.Zero, step.Step, step.TotalSteps, null, null, fraction)
                                : RemainingTime.Of(estimate, JobPhase.DenoisingLowNoise, TimeSpan.Zero, step.Step, step.TotalSteps, _clock.MeanStepMilliseconds,
                                    _clock.StartedAt is { } started && step.Timestamp > started ? step.Timestamp - started : null),
                        }
                        : step);
                    continue;
                case JobPhaseEvent phase:
                    Job.Phase = phase.Phase;
                    break;
            }

            news.Add(item);
        }

        if (news.Count > 0)
        {
            await PublishAsync(news);
        }

        return !Job.CancelRequested;
    });

    public Task RecordCheckpointAsync(int attempt, int completedSteps) => TransitionAsync(async () =>
    {
        if (IsCurrent(attempt) && completedSteps > Job.CheckpointStep)
        {
            Job.CheckpointStep = completedSteps;
            await WriteAsync();
        }

        return true;
    });

    public Task CompleteAsync(int attempt, ClipLocation clip) => TransitionAsync(async () =>
    {
        if (!IsCurrent(attempt))
        {
            await RepeatFinishedAsync(attempt, JobStatus.Completed);
            return true;
        }

        Job.Clip = clip;
        await FinishAsync(JobStatus.Completed, new JobCompletedEvent { Clip = clip });
        LogCompleted(JobId, attempt, clip.Key);
        // A cached job's step times are its tier's, not the shape's: only uncached jobs teach the queue its step time.
        if (Job.Request is { } request && CachedWorkFraction() is null && _clock.Finish(request, time.GetUtcNow()) is { } timings)
        {
            try
            {
                await Queue.RecordTimingsAsync(timings);
            }
            catch (Exception failure)
            {
                LogTimingsNotRecorded(failure, JobId);
            }
        }

        return true;
    });

    public Task FailAsync(int attempt, string error) => TransitionAsync(async () =>
    {
        if (!IsCurrent(attempt))
        {
            await RepeatFinishedAsync(attempt, JobStatus.Failed);
            return true;
        }

        Job.Error = error;
        Job.ErrorCode = GenerationFailed;
        await FinishAsync(JobStatus.Failed, new JobFailedEvent { Error = error, Code = GenerationFailed });
        LogFailed(JobId, attempt, error);
        return true;
    });

    public Task ConfirmCancelledAsync(int attempt, int completedSteps) => TransitionAsync(async () =>
    {
        if (!IsCurrent(attempt))
        {
            await RepeatFinishedAsync(attempt, JobStatus.Cancelled);
            return true;
        }

        await FinishAsync(JobStatus.Cancelled, new JobCancelledEvent { CompletedSteps = completedSteps });
        LogCancelled(JobId, JobStatus.Running);
        return true;
    });

    public Task RequeueAsync(int lostAttempt, int position, TimeSpan? estimatedWait) => TransitionAsync(async () =>
    {
        if (!IsCurrent(lostAttempt))
        {
            return true;
        }

        // Left running on a failed write: the queue holds the job in line either way, and its next attempt is granted.
        LogRequeued(JobId, lostAttempt, Job.WorkerId ?? "", Job.CheckpointStep);
        Job.Status = JobStatus.Queued;
        Job.Phase = JobPhase.None;
        Job.WorkerId = null;
        await EnsureEstimateAsync();
        var run = _estimate is { } estimate ? TimeSpan.FromMilliseconds(estimate.TotalMilliseconds(Math.Max(0, Job.TotalSteps - Job.CheckpointStep) * (CachedWorkFraction() ?? 1))) : (TimeSpan?)null;
        await PublishAsync(new JobQueuedEvent { Position = position, EstimatedWait = estimatedWait, EstimatedRemaining = estimatedWait + run, Reason = JobQueuedEvent.WorkerLost });
        return true;
    });

    private bool IsCurrent(int attempt) => Job.Status == JobStatus.Running && attempt == Job.Attempt;

    /// <summary>
    /// The current attempt repeating its final report (its first answer was lost): the job is done, but the queue may
    /// not have heard, so it is told again. Anything else is a stale attempt and ignored.
    /// </summary>
    private async Task RepeatFinishedAsync(int attempt, JobStatus requested)
    {
        if (Job.IsTerminal && attempt == Job.Attempt && Job.Status == requested)
        {
            await TolerateAsync(() => Queue.FinishedAsync(JobId, Job.Attempt, Job.MillisecondsPerStep), "releasing its lease again");
            return;
        }

        LogStaleTransition(JobId, attempt, Job.Attempt, Job.Status, requested);
    }

    /// <summary>The predicted phase times of this job's shape, asked of the queue once per activation (and again per attempt).</summary>
    private async Task EnsureEstimateAsync()
    {
        if (_estimate is not null || Job.Request is not { } request)
        {
            return;
        }

        try
        {
            _estimate = await Queue.EstimateAsync(request.Model ?? "", $"{request.Width}x{request.Height}", request.FrameCount);
        }
        catch (Exception failure)
        {
            // The ETA falls back to the steps alone until the next try.
            LogEstimateUnavailable(failure, JobId);
        }
    }

    private TimeSpan? RunningRemaining()
    {
        if (_estimate is not { } estimate)
        {
            return Job.MillisecondsPerStep is { } ms ? TimeSpan.FromMilliseconds(ms * (Job.TotalSteps - Job.CompletedSteps)) : null;
        }

        var since = _clock.PhaseStartedAt is { } start ? time.GetUtcNow() - start : TimeSpan.Zero;
        var phase = _clock.StartedAt is null ? Job.Phase : _clock.Phase;
        if (CachedWorkFraction() is { } fraction)
        {
            return RemainingTime.Of(estimate, phase, since < TimeSpan.Zero ? TimeSpan.Zero : since, Job.CompletedSteps, Job.TotalSteps, null, null, fraction);
        }

        var elapsed = _clock.StartedAt is { } started ? time.GetUtcNow() - started : (TimeSpan?)null;
        return RemainingTime.Of(estimate, phase, since < TimeSpan.Zero ? TimeSpan.Zero : since, Job.CompletedSteps, Job.TotalSteps, _clock.MeanStepMilliseconds,
            elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
    }

    /// <summary>
    /// For a job with a cache tier, the share of an uncached run its tier is expected to compute (the cache's forecast);
    /// null without one. Its steps are not uniform (the first ones are computed in full, later ones mostly reused), so
    /// its own step times so far say little about the rest: its ETA scales the shape's uncached step time instead.
    /// </summary>
    private double? CachedWorkFraction()
    {
        if (Job.Request is not { Cache: { Length: > 0 } tier, Steps: > 0 } request)
        {
            return null;
        }

        try
        {
            var settings = CachePolicy.Tier(tier).Resolve(caching.Value.ToTiers());
            return settings is null ? null : CacheForecast.ExpectedWork(settings, request.Steps) / request.Steps;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private async Task FinishAsync(JobStatus status, JobEvent announcement)
    {
        var wasRunning = Job.Status == JobStatus.Running;
        // One refund path per way a charge is undone: a withdrawn job's failed create releases its own reservation, and
        // the gateway that ends a worker wait gives its seconds back itself.
        if (status is JobStatus.Failed or JobStatus.Cancelled && Job.CompletedSteps == 0 && Job.CheckpointStep == 0
            && !Job.Withdrawn && Job.ErrorCode != NoWorkerAvailable)
        {
            await OweRefundAsync(status);
        }

        Job.Status = status;
        Job.Phase = JobPhase.None;
        Job.FinishedAt = time.GetUtcNow();
        await PublishAsync(announcement);
        metrics.RecordFinished(status, Job.ModelName ?? Job.Request?.Model);
        if (wasRunning)
        {
            // A lease the queue does not hear about expires and is then refused at start: it never runs again.
            await TolerateAsync(() => Queue.FinishedAsync(JobId, Job.Attempt, Job.MillisecondsPerStep), "releasing its lease");
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

    /// <summary>
    /// No denoising step ran: the gateway's charge for the job is given back. Recorded before the job's end is
    /// written (the refund list is idempotent per job), so a silo lost in between leaves no charge behind.
    /// </summary>
    private async Task OweRefundAsync(JobStatus status)
    {
        if (Job.Request is not { } request || request.FramesPerSecond <= 0)
        {
            return;
        }

        var refund = new UsageRefund
        {
            JobId = JobId,
            TenantId = Job.TenantId,
            Seconds = (request.FrameCount - 1) / (double)request.FramesPerSecond,
            ChargedOn = Job.CreatedAt ?? time.GetUtcNow(),
            Reason = status == JobStatus.Failed ? "failed" : "cancelled",
        };
        try
        {
            await GrainFactory.GetGrain<IUsageRefundGrain>(IUsageRefundGrain.DefaultKey).OweAsync(refund);
        }
        catch (Exception failure)
        {
            LogRefundLost(failure, JobId, Job.TenantId, refund.Seconds);
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

        await WriteAsync();
        foreach (var item in numbered)
        {
            _recent.Add(item);
        }

        return numbered;
    }

    /// <summary>
    /// Writes the state, retrying an unreachable store for <see cref="ResilienceOptions.StoreCallBudget"/>. A write
    /// whose answer was lost (the stored version moved on) drops this activation, so the next call reads what was
    /// stored.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            await retry.ExecuteAsync($"Job {JobId}: writing its state", new RetryWindow(retry.Settings.StoreCallBudget, TimeSpan.Zero), token => state.WriteStateAsync(token));
        }
        catch (Exception failure) when (TransientFailure.IsStoreOutage(failure))
        {
            LogStoreUnavailable(failure, JobId, retry.Settings.StoreCallBudget);
            throw new StoreUnavailableException();
        }
        catch (InconsistentStateException)
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Runs a transition; when it could not be written, the state goes back to what it was before (keeping the event
    /// numbers handed out, which the event log may already hold) and the failure goes to the caller.
    /// </summary>
    private async Task<T> TransitionAsync<T>(Func<Task<T>> transition)
    {
        var before = copier.Copy(Job);
        try
        {
            return await transition();
        }
        catch (Exception failure) when (failure is StoreUnavailableException or InconsistentStateException)
        {
            before.LastSequence = Math.Max(before.LastSequence, Job.LastSequence);
            state.State = before;
            throw;
        }
    }

    /// <summary>Takes the job's ticket out of line; a ticket left behind is refused at start, so a failure only costs a dispatch.</summary>
    private Task ForgetTicketAsync() => TolerateAsync(() => Queue.RemoveAsync(JobId), "taking its ticket out of the queue");

    private async Task TolerateAsync(Func<Task> call, string what)
    {
        try
        {
            await call();
        }
        catch (Exception failure) when (TransientFailure.Is(failure))
        {
            LogSideCallFailed(JobId, what, failure.GetType().Name);
        }
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
        EstimatedRemaining = Job.Status == JobStatus.Running ? RunningRemaining() : null,
        WorkerId = Job.WorkerId,
        Attempt = Job.Attempt,
        Error = Job.Error,
        ErrorCode = Job.ErrorCode,
        Clip = Job.Clip,
        LastEventSequence = Job.LastSequence,
        CancelRequested = Job.CancelRequested,
        Cache = Job.Cache,
    };
}
