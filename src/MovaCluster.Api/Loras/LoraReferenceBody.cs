namespace MovaCluster.Api.Loras;

/// <summary>A JSON registration: a name and one reference to import the files from.</summary>
public sealed record LoraReferenceBody
{
    public string? Name { get; init; }

    /// <summary>An object key of the clip store's bucket (a .safetensors object, a lora_weights.pt, or a prefix ending in '/').</summary>
    public string? S3Key { get; init; }

    /// <summary>A file or folder on the silos, under a root the operator allows (operators only).</summary>
    public string? Path { get; init; }

    /// <summary>Replaces the saved alpha, as the official <c>load_lora_weights(alpha=…)</c> does.</summary>
    public double? Alpha { get; init; }

    /// <summary>"tenant" (default) or "shared" (operators).</summary>
    public string? Scope { get; init; }
}
