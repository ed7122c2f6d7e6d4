namespace MovaCluster.Contracts.Loras;

/// <summary>One adapter of the default set: a shared adapter's name and its strength.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraDefaultEntry")]
public sealed record LoraDefaultEntry
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public double Strength { get; init; } = 1.0;
}
