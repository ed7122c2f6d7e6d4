using MovaCluster.Contracts.Loras;

namespace MovaCluster.Contracts.Jobs;

/// <summary>What to generate: one clip of video with its audio track.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.GenerationRequest")]
public sealed record GenerationRequest
{
    [Id(0)] public required string Prompt { get; init; }

    [Id(1)] public string? NegativePrompt { get; init; }

    [Id(2)] public int Width { get; init; } = 640;

    [Id(3)] public int Height { get; init; } = 352;

    [Id(4)] public int FrameCount { get; init; } = 193;

    [Id(5)] public int Steps { get; init; } = 50;

    /// <summary>Null: the job grain draws a seed at submission and records it.</summary>
    [Id(6)] public long? Seed { get; init; }

    [Id(7)] public float GuidanceScale { get; init; } = 5.0f;

    /// <summary>Model the job needs; null means the cluster's default model.</summary>
    [Id(8)] public string? Model { get; init; }

    /// <summary>Optional reference image (encoded PNG or JPEG) for image-to-video.</summary>
    [Id(9)] public byte[]? ReferenceImage { get; init; }

    /// <summary>Frame rate of the clip (the API's seconds are (frames - 1) / fps). Default 24.</summary>
    [Id(10)] public int FramesPerSecond { get; init; } = 24;

    /// <summary>
    /// Step and block cache tier (names configured by the operator under <c>Mova:Caching:Tiers</c>); null or
    /// <c>"off"</c>: no cache, today's exact path.
    /// </summary>
    [Id(11)] public string? Cache { get; init; }

    /// <summary>LoRA adapters to apply, in order (each term added after the previous one); empty runs the base model.</summary>
    [Id(12)] public IReadOnlyList<JobLora> Loras { get; init; } = [];

    /// <summary>Latent work size used to match a job to workers with room for it.</summary>
    public long Volume => (long)Width * Height * FrameCount;
}
