using MovaCluster.Contracts.Loras;

namespace MovaCluster.Grains.Adapters;

/// <summary>Persistent state of one scope's LoRA registry.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.LoraRegistryState")]
public sealed class LoraRegistryState
{
    /// <summary>Registered adapters by name.</summary>
    [Id(0)] public Dictionary<string, LoraAdapterInfo> Adapters { get; set; } = [];

    [Id(1)] public LoraDefaultSet Defaults { get; set; } = LoraDefaultSet.None;

    /// <summary>Content no name points at any more, to delete once no job uses it.</summary>
    [Id(2)] public List<PendingLoraContent> Pending { get; set; } = [];
}
