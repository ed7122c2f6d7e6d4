namespace MovaCluster.Contracts.Jobs;

/// <summary>Where a finished clip was stored.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.ClipLocation")]
public sealed record ClipLocation
{
    /// <summary>Object key (or relative path) inside the clip store.</summary>
    [Id(0)] public required string Key { get; init; }

    [Id(1)] public required string ContentType { get; init; }

    [Id(2)] public long SizeBytes { get; init; }

    /// <summary>Hex SHA-256 of the stored bytes.</summary>
    [Id(3)] public required string Sha256 { get; init; }
}
