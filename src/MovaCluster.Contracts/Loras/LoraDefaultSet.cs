namespace MovaCluster.Contracts.Loras;

/// <summary>
/// The adapters a create without a <c>lora</c> field runs with (SGLang's server-wide <c>set_lora</c>), kept by the
/// shared registry. <see cref="Active"/> false (after <c>unmerge_lora_weights</c>) leaves the set listed but unused.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraDefaultSet")]
public sealed record LoraDefaultSet
{
    [Id(0)] public IReadOnlyList<LoraDefaultEntry> Entries { get; init; } = [];

    [Id(1)] public bool Active { get; init; }

    public static LoraDefaultSet None { get; } = new();
}
