using System.Text.Json.Serialization;
using MovaCluster.Api.Loras;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The video resource: OpenAI's fields (id, object, model, status, progress, created_at, completed_at, expires_at,
/// error, prompt, remixed_from_video_id, seconds, size) plus real progress details (phase, queue_position,
/// eta_seconds, steps), SGLang's url (the download link) and our extensions.
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

    /// <summary>The size generated (WIDTHxHEIGHT), after any snapping to multiples of 16.</summary>
    public required string Size { get; init; }

    /// <summary>The size as asked, when it was snapped (e.g. "640x360" for a size of "640x352"); absent otherwise.</summary>
    public string? RequestedSize { get; init; }

    /// <summary>
    /// The model the worker that ran the video reports, e.g. "MOVA-360p" or "mova-tiny (random weights; output is
    /// noise)": what actually produced it. Absent until a worker starts it.
    /// </summary>
    public string? WorkerModel { get; init; }

    /// <summary>
    /// Why a queued video waits beyond its turn: <c>waiting_for_worker</c> while no live worker serves its model or has
    /// room for it. Absent otherwise.
    /// </summary>
    public string? QueuedReason { get; init; }

    /// <summary>
    /// Absolute URL of the MP4 once completed (<c>GET /v1/videos/{id}/download</c>, the same bytes as <c>/content</c>),
    /// in SGLang's <c>url</c> field. Named download_url and video_url too only where the operator turns them on: MOVA's
    /// workflow client reads those and rewrites any URL with a host to <c>http:///host/...</c>, which fails; without
    /// them it fetches <c>{base_url}/v1/videos/{id}/download</c>, which works.
    /// </summary>
    public string? Url { get; init; }

    /// <summary>The same link as <see cref="Url"/>, only where <c>Mova:Gateway:DownloadUrlFields</c> is on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DownloadUrl { get; init; }

    /// <summary>The same link as <see cref="Url"/>, only where <c>Mova:Gateway:DownloadUrlFields</c> is on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VideoUrl { get; init; }

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

    /// <summary>The step and block cache (tier used, steps and block evaluations computed); null when none was asked for.</summary>
    public VideoCacheReport? Cache { get; init; }

    /// <summary>The LoRA adapters the video runs with, in the order applied (empty: the base model).</summary>
    public IReadOnlyList<VideoLora> Lora { get; init; } = [];

    /// <summary>Sequence number of the job's latest event (resume point for /events).</summary>
    public long LastEventId { get; init; }
}
