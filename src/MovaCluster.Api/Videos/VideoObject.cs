using MovaCluster.Api.Loras;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The video resource: OpenAI's fields (id, object, model, status, progress, created_at, completed_at, expires_at,
/// error, prompt, remixed_from_video_id, seconds, size) plus real progress details (phase, queue_position,
/// eta_seconds, steps) and our extensions.
/// </summary>
public sealed record VideoObject
{
    public required string Id { get; init; }

    public string Object { get; init; } = "video";

    public required string Model { get; init; }

    /// <summary>queued, in_progress, completed, failed or cancelled.</summary>
    public required string Status { get; init; }

    /// <summary>0-100, from denoising steps while running.</summary>
    public int Progress { get; init; }

    public long CreatedAt { get; init; }

    public long? CompletedAt { get; init; }

    public long? ExpiresAt { get; init; }

    public VideoError? Error { get; init; }

    public string? Prompt { get; init; }

    public string? RemixedFromVideoId { get; init; }

    /// <summary>Length in seconds, as a string like OpenAI's ("4", "8", or "2.5").</summary>
    public required string Seconds { get; init; }

    public required string Size { get; init; }

    /// <summary>encoding, denoising_high_noise, denoising_low_noise, decoding, muxing, uploading; null when not running.</summary>
    public string? Phase { get; init; }

    /// <summary>Jobs ahead of this one while queued (0 = next).</summary>
    public int? QueuePosition { get; init; }

    /// <summary>Expected seconds until completion (queue wait included), when known.</summary>
    public double? EtaSeconds { get; init; }

    public int CompletedSteps { get; init; }

    public int TotalSteps { get; init; }

    public int NumFrames { get; init; }

    public int Fps { get; init; }

    public long? Seed { get; init; }

    public string? Priority { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>The LoRA adapters the video runs with, in the order applied (empty: the base model).</summary>
    public IReadOnlyList<VideoLora> Lora { get; init; } = [];

    /// <summary>Sequence number of the job's latest event (resume point for /events).</summary>
    public long LastEventId { get; init; }
}
