namespace MovaCluster.Contracts.Loras;

/// <summary>Where the files of an adapter being registered are read from.</summary>
[GenerateSerializer, Alias("MovaCluster.LoraSourceKind")]
public enum LoraSourceKind
{
    /// <summary>Files the gateway streamed to the scope's upload prefix (<see cref="LoraObjectKeys.Upload"/>).</summary>
    Upload = 0,

    /// <summary>An object key (a .safetensors object, or a prefix ending in '/' holding lora_weights.pt) the operator allows.</summary>
    ObjectKey = 1,

    /// <summary>A file or folder under a root the operator configured on the silos.</summary>
    Path = 2,
}
