namespace MovaCluster.Api.Videos;

/// <summary>
/// What the gateway keeps about a video beyond the job grain: its owner and API-level settings (the public model
/// name, metadata, webhook) and the idempotency fingerprint of the request that created it.
/// </summary>
public sealed record VideoRecord
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The API model name (e.g. mova-360p), not the workers' model name.</summary>
    public required string Model { get; init; }

    public required string Prompt { get; init; }

    public int FrameCount { get; init; }

    public int Fps { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>The size as the request gave it when it was snapped to multiples of 16; null when it was not.</summary>
    public string? RequestedSize { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>SHA-256 of the normalised request; a retried create with the same Idempotency-Key must match it.</summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>Seconds of video as the API reports them: (frames - 1) / fps.</summary>
    public double Seconds => Fps <= 0 ? 0 : (FrameCount - 1) / (double)Fps;
}
