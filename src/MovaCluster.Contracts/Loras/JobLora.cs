namespace MovaCluster.Contracts.Loras;

/// <summary>
/// One LoRA adapter of a job, resolved at create time: the name it had then, the content digest that pins its
/// bytes (a later rename, re-registration or deletion of the name cannot change what the job runs), its strength
/// and the object-store prefix its files live under.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobLora")]
public sealed record JobLora
{
    /// <summary>The registered name the request used (for reports; the digest decides what runs).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>SHA-256 (hex) of alpha and every layer's name, dtype, shape and bytes, as the model reads the adapter.</summary>
    [Id(1)] public required string Digest { get; init; }

    /// <summary>The official <c>set_lora_scale</c> factor: 1 applies the adapter as trained.</summary>
    [Id(2)] public double Strength { get; init; } = 1.0;

    /// <summary>Object-store prefix holding the adapter's files (<see cref="LoraObjectKeys.Content"/>).</summary>
    [Id(3)] public required string Location { get; init; }

    /// <summary>The alpha given at registration in place of the saved one (part of the digest); null keeps the file's.</summary>
    [Id(4)] public double? AlphaOverride { get; init; }
}
