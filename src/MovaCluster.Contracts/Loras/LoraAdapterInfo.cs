namespace MovaCluster.Contracts.Loras;

/// <summary>A registered adapter: its name in its scope, where it came from, and its validated content.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.LoraAdapterInfo")]
public sealed record LoraAdapterInfo
{
    [Id(0)] public required string Name { get; init; }

    /// <summary>The owning scope (<see cref="LoraScopes"/>).</summary>
    [Id(1)] public required string Scope { get; init; }

    /// <summary>"upload", or the reference it was imported from ("s3:{key}", "path:{path}").</summary>
    [Id(2)] public required string Source { get; init; }

    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    [Id(4)] public required LoraContent Content { get; init; }
}
