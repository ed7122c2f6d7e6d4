namespace MovaCluster.Api.Loras;

/// <summary>Limits of the LoRA adapter API (section <see cref="SectionName"/>), validated at start.</summary>
public sealed class LoraApiOptions
{
    public const string SectionName = "Mova:Gateway:Loras";

    /// <summary>The most adapters the cluster lets one job apply (its job validator refuses more).</summary>
    public const int ClusterMaxPerRequest = 16;

    /// <summary>Largest adapter accepted, in bytes of its files (and of what a torch.save archive unpacks to). Default 1 GiB.</summary>
    public long MaxAdapterBytes { get; set; } = 1L << 30;

    /// <summary>Most adapters one tenant may register. Default 50.</summary>
    public int MaxAdaptersPerTenant { get; set; } = 50;

    /// <summary>Most adapters in the operator's shared scope. Default 200.</summary>
    public int MaxSharedAdapters { get; set; } = 200;

    /// <summary>Most adapters one video may name (at most <see cref="ClusterMaxPerRequest"/>). Default 4.</summary>
    public int MaxPerRequest { get; set; } = 4;

    /// <summary>Largest absolute strength a request may give an adapter. Default 8.</summary>
    public double MaxStrength { get; set; } = 8.0;
}
