namespace MovaCluster.Contracts.Loras;

/// <summary>What an adapter is, as the silo that read and validated it found it.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraContent")]
public sealed record LoraContent
{
    /// <summary>Content digest (see <see cref="JobLora.Digest"/>); the same adapter has one digest in every file format.</summary>
    [Id(0)] public required string Digest { get; init; }

    /// <summary>"peft" or "diffsynth" (official lora_weights.pt key forms) or "safetensors".</summary>
    [Id(1)] public required string Format { get; init; }

    /// <summary>The largest rank of its layers (rank comes from the tensor shapes).</summary>
    [Id(2)] public int Rank { get; init; }

    /// <summary>The smallest rank of its layers (equal to <see cref="Rank"/> for an adapter trained with one rank).</summary>
    [Id(3)] public int MinRank { get; init; }

    /// <summary>The alpha the adapter runs with (saved, overridden, or the official default 16).</summary>
    [Id(4)] public double Alpha { get; init; }

    /// <summary>The override given at registration, if any.</summary>
    [Id(5)] public double? AlphaOverride { get; init; }

    [Id(6)] public int LayerCount { get; init; }

    /// <summary>The MOVA components it adapts (video_dit, video_dit_2, audio_dit, dual_tower_bridge).</summary>
    [Id(7)] public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>Bytes of its A and B matrices.</summary>
    [Id(8)] public long TensorBytes { get; init; }

    /// <summary>Bytes of its stored files.</summary>
    [Id(9)] public long StoredBytes { get; init; }

    /// <summary>Object-store prefix of its files (<see cref="LoraObjectKeys.Content"/>).</summary>
    [Id(10)] public required string Location { get; init; }

    /// <summary>The served model whose layer catalog it was validated against.</summary>
    [Id(11)] public required string Model { get; init; }
}
