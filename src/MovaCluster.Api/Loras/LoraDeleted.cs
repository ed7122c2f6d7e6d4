namespace MovaCluster.Api.Loras;

/// <summary>The answer to a delete: the name is free again; jobs created before keep the adapter they resolved.</summary>
public sealed record LoraDeleted(string Id)
{
    public string Object { get; init; } = "lora.deleted";

    public bool Deleted { get; init; } = true;
}
