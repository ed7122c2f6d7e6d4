using System.Globalization;
using MovaCluster.Api.Loras;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Api.Videos;

/// <summary>Builds the API's video object from the job grain's snapshot and the gateway's record.</summary>
public static class VideoObjectMapper
{
    /// <param name="record">The gateway's record of the video.</param>
    /// <param name="job">The job's snapshot.</param>
    /// <param name="assetLifetime">How long finished assets are kept.</param>
    /// <param name="waitingForWorker">True while no live worker serves the video's model (a queued video then says why it waits).</param>
    public static VideoObject Map(VideoRecord record, JobSnapshot job, TimeSpan assetLifetime, bool waitingForWorker = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(job);
        var running = job.Status == JobStatus.Running;
        var queued = job.Status == JobStatus.Queued;
        return new VideoObject
        {
            Id = record.Id,
            Model = record.Model,
            Status = Status(job.Status),
            Progress = Progress(job),
            CreatedAt = record.CreatedAt.ToUnixTimeSeconds(),
            CompletedAt = job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled ? job.FinishedAt?.ToUnixTimeSeconds() : null,
            ExpiresAt = job.Status == JobStatus.Completed ? job.FinishedAt?.Add(assetLifetime).ToUnixTimeSeconds() : null,
            Error = job.Status == JobStatus.Failed ? new VideoError(job.ErrorCode ?? "generation_failed", job.Error ?? "The generation failed.") : null,
            Prompt = record.Prompt,
            Seconds = record.Seconds.ToString("0.###", CultureInfo.InvariantCulture),
            Size = $"{record.Width}x{record.Height}",
            RequestedSize = record.RequestedSize,
            WorkerModel = job.ModelName,
            QueuedReason = queued && waitingForWorker ? JobQueuedEvent.WaitingForWorker : null,
            Phase = running ? Phase(job.Phase) : null,
            QueuePosition = job.Status == JobStatus.Queued ? job.QueuePosition : null,
            EtaSeconds = EtaSeconds(job),
            CompletedSteps = job.CompletedSteps,
            TotalSteps = job.TotalSteps,
            NumFrames = record.FrameCount,
            Fps = record.Fps,
            Seed = job.Status == JobStatus.Unknown ? null : job.Seed,
            Priority = job.Priority.ToString().ToLowerInvariant(),
            Metadata = record.Metadata,
            WebhookUrl = record.WebhookUrl,
            Lora = LoraObjectMapper.Map(job.Request?.Loras),
            LastEventId = job.LastEventSequence,
            Cache = Cache(job),
        };
    }

    /// <summary>The cache report: the worker's usage when it has reported, else the requested tier.</summary>
    public static VideoCacheReport? Cache(JobSnapshot job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var requested = job.Request?.Cache;
        if (job.Cache is { } usage)
        {
            return new VideoCacheReport
            {
                Tier = usage.Tier,
                RequestedTier = requested,
                Steps = usage.Steps,
                StepsComputed = usage.StepsComputed,
                Passes = usage.Passes,
                PassesComputed = usage.PassesComputed,
                PassesBlocksReused = usage.PassesBlocksReused,
                PassesStepReused = usage.PassesStepReused,
                BlockEvaluations = usage.LayerEvaluations,
                BlockEvaluationsComputed = usage.LayerEvaluationsComputed,
                SkippedFraction = Math.Round(usage.SkippedFraction, 4),
                Note = usage.Note,
            };
        }

        return requested is null ? null : new VideoCacheReport { Tier = requested, RequestedTier = requested };
    }

    public static string Status(JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "in_progress",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => "queued",
    };

    public static string? Phase(JobPhase phase) => phase switch
    {
        JobPhase.Encoding => "encoding",
        JobPhase.DenoisingHighNoise => "denoising_high_noise",
        JobPhase.DenoisingLowNoise => "denoising_low_noise",
        JobPhase.Decoding => "decoding",
        JobPhase.Muxing => "muxing",
        JobPhase.Uploading => "uploading",
        _ => null,
    };

    private static int Progress(JobSnapshot job) => job.Status switch
    {
        JobStatus.Completed => 100,
        JobStatus.Running when job.TotalSteps > 0 => Math.Clamp(job.CompletedSteps * 100 / job.TotalSteps, 0, 99),
        _ => 0,
    };

    private static double? EtaSeconds(JobSnapshot job) => job.Status switch
    {
        JobStatus.Running or JobStatus.Queued when job.EstimatedRemaining is { } remaining => Math.Round(remaining.TotalSeconds, 1),
        _ => null,
    };
}
