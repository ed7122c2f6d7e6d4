using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Content;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Models;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Waiting;
using MovaCluster.Api.Webhooks;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The video operations, always in one tenant's scope: a video of another tenant does not exist (404). A create
/// that fails leaves nothing behind: no job, no index entry, no usage; a failure after the job was submitted withdraws
/// it again (<see cref="UndoCreateAsync"/>).
/// </summary>
public sealed partial class VideoService(
    IClusterClient cluster,
    IVideoIndex index,
    IUsageLedger usage,
    IVideoContentSource content,
    WebhookNotifier webhooks,
    AssetJanitor janitor,
    JobSnapshotCache snapshots,
    TenantQueueCounts queueCounts,
    ModelAvailability models,
    IWorkerWaitList waits,
    OutageRetry retry,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<VideoService> logger)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private GatewayOptions Settings => options.Value;

    /// <summary>Creates the video, or returns the one an earlier request with the same Idempotency-Key created.</summary>
    public async Task<VideoObject> CreateAsync(Tenant tenant, ValidatedVideoRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(request);
        var id = idempotencyKey is null ? VideoIds.New() : VideoIds.FromIdempotencyKey(tenant.Id, idempotencyKey);
        var fingerprint = RequestFingerprint.Of(request);
        if (idempotencyKey is not null && await index.GetAsync(tenant.Id, id, cancellationToken) is { } earlier)
        {
            LogReplayed(id, tenant.Id);
            return await ReplayAsync(earlier, fingerprint);
        }

        if (idempotencyKey is not null && await index.WasDeletedAsync(tenant.Id, id, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Conflict("video_deleted",
                $"The video this Idempotency-Key created ({id}) was deleted; a deleted video is not created again. Use a new key for a new video.", "Idempotency-Key"));
        }

        var waitingForWorker = await models.AdmitAsync(request.Model, request.Generation.Width, request.Generation.Height, request.Generation.FrameCount) is not null;
        await CheckJobQuotasAsync(tenant);
        if (!await usage.TryReserveAsync(tenant.Id, request.Seconds, tenant.Quotas.VideoSecondsPerDay, cancellationToken))
        {
            throw new ApiErrorException(ApiError.TooManyRequests("video_seconds_quota_exceeded",
                $"Tenant '{tenant.Id}' has used its {tenant.Quotas.VideoSecondsPerDay} seconds of video for today (UTC).", UntilMidnight()));
        }

        var reserved = true;
        try
        {
            var submitted = await cluster.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
            {
                TenantId = tenant.Id,
                Priority = request.Priority,
                Request = request.Generation,
                WaitingForWorker = waitingForWorker,
            });
            if (!submitted.Accepted || submitted.Job is not { } job)
            {
                throw new ApiErrorException(Refusal(submitted));
            }

            var record = new VideoRecord
            {
                Id = id,
                TenantId = tenant.Id,
                CreatedAt = job.CreatedAt ?? time.GetUtcNow(),
                Model = request.Model,
                Prompt = request.Generation.Prompt,
                FrameCount = request.Generation.FrameCount,
                Fps = request.Generation.FramesPerSecond,
                Width = request.Generation.Width,
                Height = request.Generation.Height,
                RequestedSize = request.RequestedSize,
                Metadata = request.Metadata,
                WebhookUrl = request.WebhookUrl,
                RequestFingerprint = fingerprint,
            };
            bool recorded;
            try
            {
                recorded = await RecordCreateAsync(tenant, record, request, waitingForWorker, cancellationToken);
            }
            catch (Exception failure) when (failure is not ApiErrorException)
            {
                await UndoCreateAsync(tenant, record, failure);
                throw;
            }

            if (!recorded)
            {
                // A concurrent retry with the same Idempotency-Key won the race; this request reserved for nothing.
                await usage.ReleaseAsync(tenant.Id, request.Seconds, CancellationToken.None);
                reserved = false;
                LogReplayed(id, tenant.Id);
                return await ReplayAsync(await index.GetAsync(tenant.Id, id, cancellationToken) ?? record, fingerprint);
            }

            reserved = false;
            queueCounts.Accepted(tenant.Id);
            snapshots.Put(job);
            return Map(record, job);
        }
        finally
        {
            if (reserved)
            {
                await usage.ReleaseAsync(tenant.Id, request.Seconds, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Everything a create records after the job grain accepted the job, each step able to fail: the index entry, the
    /// wait for a worker, the webhook watch. False when the index already holds the id (a concurrent retry won).
    /// </summary>
    private async Task<bool> RecordCreateAsync(Tenant tenant, VideoRecord record, ValidatedVideoRequest request, bool waitingForWorker, CancellationToken cancellationToken)
    {
        if (!await index.AddAsync(record, cancellationToken))
        {
            return false;
        }

        if (waitingForWorker)
        {
            var volume = (long)record.Width * record.Height * record.FrameCount;
            await waits.AddAsync(new WorkerWait(record.Id, tenant.Id, record.Model, volume, request.Seconds, time.GetUtcNow() + Settings.WorkerWait), CancellationToken.None);
        }

        if (record.WebhookUrl is not null)
        {
            // Listed before the answer: from here on some gateway delivers the webhook, even if this one stops.
            await webhooks.WatchAsync(tenant, record, CancellationToken.None);
        }

        return true;
    }

    /// <summary>
    /// Takes back what a create did after its submit, whichever step failed (a step may have taken effect before it
    /// threw): the job is withdrawn (a queued one forgotten, a running one cancelled and its clip deleted once it
    /// stops), the index entry, wait and webhook watch removed. The caller releases the reservation. Each undo step is
    /// tried even if another fails; those failures are logged, and the create's own error is what the client sees.
    /// </summary>
    private async Task UndoCreateAsync(Tenant tenant, VideoRecord record, Exception cause)
    {
        LogCreateUndone(cause, record.Id, tenant.Id);
        await UndoStepAsync(record.Id, "withdraw the job", async () =>
        {
            var withdrawn = await cluster.GetGrain<IJobGrain>(record.Id).WithdrawAsync();
            if (withdrawn.Status == JobStatus.Running)
            {
                janitor.DeleteWhenFinished(record.Id);
            }
            else if (withdrawn.Status == JobStatus.Completed)
            {
                await content.DeleteAsync(withdrawn, CancellationToken.None);
            }
        });
        await UndoStepAsync(record.Id, "remove the index entry", () => index.RemoveAsync(tenant.Id, record.Id, deleted: false, CancellationToken.None));
        await UndoStepAsync(record.Id, "remove the worker wait", () => waits.RemoveAsync(record.Id, CancellationToken.None));
        await UndoStepAsync(record.Id, "remove the webhook watch", () => webhooks.UnwatchAsync(record.Id));
        snapshots.Forget(record.Id);
    }

    /// <summary>
    /// Each step is retried through a brief outage (the create most often fails because Redis or a silo went away):
    /// a step left undone would leave a withdrawn video listed, which a retry with the same key would then return.
    /// </summary>
    private async Task UndoStepAsync(string videoId, string step, Func<Task> undo)
    {
        try
        {
            await retry.ExecuteAsync($"Undo create of {videoId}: {step}", RetryWindow.Both(retry.Settings.ApiCallRetryWindow), _ => undo());
        }
        catch (Exception failure)
        {
            LogUndoStepFailed(failure, videoId, step);
        }
    }

    public async Task<VideoObject> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var (record, _) = await FindAsync(tenant, id, cancellationToken);
        return Map(record, await snapshots.GetAsync(id));
    }

    public async Task<VideoList> ListAsync(Tenant tenant, string? after, int? limit, string? order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", $"limit must be between 1 and {MaxPageSize}.", "limit"));
        }

        var ascending = order switch
        {
            null or "" or "desc" => false,
            "asc" => true,
            _ => throw new ApiErrorException(ApiError.BadRequest("invalid_value", "order must be 'asc' or 'desc'.", "order")),
        };
        VideoRecord? cursor = null;
        if (!string.IsNullOrEmpty(after))
        {
            cursor = await index.GetAsync(tenant.Id, after, cancellationToken)
                ?? throw new ApiErrorException(ApiError.BadRequest("invalid_cursor", $"after: no video '{after}' to continue from.", "after"));
        }

        var page = await index.ListAsync(tenant.Id, cursor, size, ascending, cancellationToken);
        var jobs = await Task.WhenAll(page.Items.Select(record => snapshots.GetAsync(record.Id)));
        var data = page.Items.Select((record, i) => Map(record, jobs[i])).ToList();
        return new VideoList(data, page.HasMore, data.FirstOrDefault()?.Id, data.LastOrDefault()?.Id);
    }

    /// <summary>Cancels a queued or running video (running ones stop at the next step boundary).</summary>
    public async Task<VideoObject> CancelAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var (record, job) = await FindAsync(tenant, id, cancellationToken);
        var snapshot = await job.GetAsync();
        if (snapshot.Status is JobStatus.Completed or JobStatus.Failed)
        {
            throw new ApiErrorException(ApiError.Conflict("video_already_finished",
                $"Video {id} is already {VideoObjectMapper.Status(snapshot.Status)} and cannot be cancelled.", "video_id"));
        }

        var cancelled = snapshot.Status == JobStatus.Cancelled ? snapshot : await job.CancelAsync();
        snapshots.Put(cancelled);
        return Map(record, cancelled);
    }

    /// <summary>Deletes a video: cancels it if it is still going, removes it from the tenant's videos, deletes its assets.</summary>
    public async Task<VideoDeleted> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var (_, job) = await FindAsync(tenant, id, cancellationToken);
        var snapshot = await job.GetAsync();
        if (snapshot.Status is JobStatus.Queued or JobStatus.Running)
        {
            snapshot = await job.CancelAsync();
        }

        await index.RemoveAsync(tenant.Id, id, deleted: true, cancellationToken);
        snapshots.Forget(id);
        if (snapshot.Status is JobStatus.Queued or JobStatus.Running)
        {
            // A running job may still publish its clip before it stops: delete once it has really finished.
            janitor.DeleteWhenFinished(id);
        }
        else
        {
            await content.DeleteAsync(snapshot, cancellationToken);
        }

        return new VideoDeleted(id);
    }

    public async Task<IResult> OpenContentAsync(Tenant tenant, string id, string? variant, CancellationToken cancellationToken)
    {
        var kind = variant switch
        {
            null or "" or "video" => VideoVariant.Video,
            "thumbnail" => VideoVariant.Thumbnail,
            "spritesheet" => VideoVariant.Spritesheet,
            _ => throw new ApiErrorException(ApiError.BadRequest("invalid_value", "variant must be video, thumbnail or spritesheet.", "variant")),
        };
        var (_, job) = await FindAsync(tenant, id, cancellationToken);
        var snapshot = await job.GetAsync();
        if (snapshot.Status != JobStatus.Completed)
        {
            throw new ApiErrorException(ApiError.Conflict("video_not_ready",
                $"Video {id} is {VideoObjectMapper.Status(snapshot.Status)}; content exists only once it is completed.", "video_id"));
        }

        var asset = await content.FindAsync(snapshot, kind, cancellationToken)
            ?? throw new ApiErrorException(ApiError.NotFound("variant_not_found", $"Video {id} has no {kind.ToString().ToLowerInvariant()} asset.", "variant"));
        return new ContentResult(content, asset);
    }

    /// <summary>The tenant's video record and its job grain; 404 for unknown ids and other tenants' videos alike.</summary>
    public async Task<(VideoRecord Record, IJobGrain Job)> FindAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        var record = VideoIds.IsWellFormed(id) ? await index.GetAsync(tenant.Id, id, cancellationToken) : null;
        if (record is null)
        {
            throw new ApiErrorException(ApiError.NotFound("video_not_found", $"No video found with id '{id}'.", "video_id"));
        }

        return (record, cluster.GetGrain<IJobGrain>(id));
    }

    private async Task<VideoObject> ReplayAsync(VideoRecord earlier, string fingerprint)
    {
        if (earlier.RequestFingerprint != fingerprint)
        {
            throw new ApiErrorException(ApiError.Conflict("idempotency_key_reused",
                "This Idempotency-Key was used for a different request; use a new key for a new video.", "Idempotency-Key"));
        }

        var job = await cluster.GetGrain<IJobGrain>(earlier.Id).GetAsync();
        return Map(earlier, job);
    }

    /// <summary>The video object; a queued video says it is waiting for a worker while none serves its model.</summary>
    private VideoObject Map(VideoRecord record, JobSnapshot job)
    {
        var waiting = job.Status == JobStatus.Queued
            && models.ServesNow(record.Model, (long)record.Width * record.Height * record.FrameCount) == false;
        return VideoObjectMapper.Map(record, job, Settings.AssetLifetime, waiting);
    }

    private async Task CheckJobQuotasAsync(Tenant tenant)
    {
        var (queued, running, millisecondsPerStep) = await queueCounts.GetAsync(tenant.Id);
        var wait = TimeSpan.FromSeconds(Math.Clamp((millisecondsPerStep ?? 1000) / 1000 * 10, 1, 300));
        if (queued >= tenant.Quotas.MaxQueuedJobs && tenant.Quotas.MaxQueuedJobs > 0)
        {
            throw new ApiErrorException(ApiError.TooManyRequests("queued_jobs_quota_exceeded",
                $"Tenant '{tenant.Id}' already has {queued} videos waiting, its limit is {tenant.Quotas.MaxQueuedJobs}.", wait));
        }

        if (tenant.Quotas.MaxQueuedJobs == 0 && running >= tenant.Quotas.MaxRunningJobs)
        {
            throw new ApiErrorException(ApiError.TooManyRequests("running_jobs_quota_exceeded",
                $"Tenant '{tenant.Id}' already has {running} videos running, its limit is {tenant.Quotas.MaxRunningJobs}.", wait));
        }
    }

    private static ApiError Refusal(SubmitResult result) => result.Reason switch
    {
        RejectionReason.TenantQueuedLimit => ApiError.TooManyRequests("queued_jobs_quota_exceeded", result.Message ?? "Too many queued videos.", TimeSpan.FromSeconds(10)),
        RejectionReason.QueueFull => ApiError.TooManyRequests("queue_full", result.Message ?? "The queue is full.", TimeSpan.FromSeconds(30)),
        RejectionReason.InvalidRequest => ApiError.Unprocessable("invalid_value", result.Message ?? "The cluster refused the request."),
        _ => ApiError.Conflict("video_rejected", result.Message ?? $"The cluster refused the video ({result.Reason})."),
    };

    private TimeSpan UntilMidnight()
    {
        var now = time.GetUtcNow();
        return now.Date.AddDays(1) - now.UtcDateTime;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Create of video {VideoId} (tenant {TenantId}) answers with the video an earlier create with its key made")]
    private partial void LogReplayed(string videoId, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Create of video {VideoId} (tenant {TenantId}) failed after its job was submitted; undoing it")]
    private partial void LogCreateUndone(Exception failure, string videoId, string tenantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Undoing the failed create of video {VideoId}: could not {Step}")]
    private partial void LogUndoStepFailed(Exception failure, string videoId, string step);
}
