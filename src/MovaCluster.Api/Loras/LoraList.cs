namespace MovaCluster.Api.Loras;

/// <summary>The adapters a tenant may use: its own, then the shared ones.</summary>
public sealed record LoraList(IReadOnlyList<LoraObject> Data)
{
    public string Object { get; init; } = "list";
}
