namespace MovaCluster.Api.Loras;

/// <summary>A registered adapter as the API shows it (<c>object: "lora"</c>).</summary>
public sealed record LoraObject
{
    /// <summary>The name requests use (unique in its scope).</summary>
    public required string Id { get; init; }

    public string Object { get; init; } = "lora";

    public required string Name { get; init; }

    /// <summary>"tenant" (the caller's own) or "shared" (the operator's, usable by every tenant).</summary>
    public required string Scope { get; init; }

    /// <summary>SHA-256 of the adapter's alpha and tensors: the same adapter has one digest in every file format.</summary>
    public required string Digest { get; init; }

    /// <summary>"peft", "diffsynth" or "safetensors".</summary>
    public required string Format { get; init; }

    public int Rank { get; init; }

    public double Alpha { get; init; }

    public int Layers { get; init; }

    /// <summary>The MOVA components it adapts (video_dit, video_dit_2, audio_dit, dual_tower_bridge).</summary>
    public required IReadOnlyList<string> Components { get; init; }

    /// <summary>Bytes of its stored files.</summary>
    public long Bytes { get; init; }

    /// <summary>The served model it was validated against.</summary>
    public required string Model { get; init; }

    /// <summary>"upload", or the reference it was imported from.</summary>
    public required string Source { get; init; }

    public long CreatedAt { get; init; }
}
