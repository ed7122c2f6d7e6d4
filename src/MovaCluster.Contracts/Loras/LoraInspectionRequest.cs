namespace MovaCluster.Contracts.Loras;

/// <summary>Read, validate and store an adapter for a scope (see <see cref="ILoraInspectorGrain"/>).</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraInspectionRequest")]
public sealed record LoraInspectionRequest
{
    /// <summary>The scope whose content prefix receives the files.</summary>
    [Id(0)] public required string Scope { get; init; }

    [Id(1)] public LoraSourceKind SourceKind { get; init; }

    /// <summary>The upload prefix, object key or path.</summary>
    [Id(2)] public required string Source { get; init; }

    /// <summary>Replaces the saved alpha, as the official <c>load_lora_weights(alpha=…)</c> does.</summary>
    [Id(3)] public double? AlphaOverride { get; init; }

    /// <summary>Largest adapter accepted: the files, and what a torch.save archive unpacks to.</summary>
    [Id(4)] public long MaxBytes { get; init; }
}
