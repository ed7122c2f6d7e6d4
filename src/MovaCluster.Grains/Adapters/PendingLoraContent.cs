namespace MovaCluster.Grains.Adapters;

/// <summary>Stored adapter content waiting to be deleted, and since when.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.Grains.PendingLoraContent")]
public sealed record PendingLoraContent
{
    [Id(0)] public required string Digest { get; init; }

    [Id(1)] public required string Location { get; init; }

    [Id(2)] public DateTimeOffset Since { get; init; }
}
