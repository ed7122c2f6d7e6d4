using MovaCluster.Contracts.Loras;

namespace MovaCluster.Api.Loras;

/// <summary>Registry entries and job adapters in the API's shapes.</summary>
public static class LoraObjectMapper
{
    public static LoraObject Map(LoraAdapterInfo adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var content = adapter.Content;
        return new LoraObject
        {
            Id = adapter.Name,
            Name = adapter.Name,
            Scope = LoraScopes.Kind(adapter.Scope),
            Digest = content.Digest,
            Format = content.Format,
            Rank = content.Rank,
            Alpha = content.Alpha,
            Layers = content.LayerCount,
            Components = content.Components,
            Bytes = content.StoredBytes,
            Model = content.Model,
            Source = adapter.Source,
            CreatedAt = adapter.CreatedAt.ToUnixTimeSeconds(),
        };
    }

    public static IReadOnlyList<VideoLora> Map(IReadOnlyList<JobLora>? loras) =>
        loras is null ? [] : [.. loras.Select(lora => new VideoLora(lora.Name, lora.Strength, lora.Digest))];
}
