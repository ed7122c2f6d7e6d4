using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Api.Videos;

/// <summary>A create request that passed every check, in the cluster's terms plus the API-only settings.</summary>
public sealed record ValidatedVideoRequest
{
    public required string Model { get; init; }

    /// <summary>The size as asked when it was snapped to multiples of 16 (e.g. "640x360" for 640x352); null otherwise.</summary>
    public string? RequestedSize { get; init; }

    public required GenerationRequest Generation { get; init; }

    public JobPriority Priority { get; init; } = JobPriority.Standard;

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string? WebhookUrl { get; init; }

    public double Seconds => (Generation.FrameCount - 1) / (double)Generation.FramesPerSecond;
}
