namespace MovaCluster.Grains.Adapters;

/// <summary>Where silos may import adapters from and how long unused content is kept (section <see cref="SectionName"/>).</summary>
public sealed class LoraRegistryOptions
{
    public const string SectionName = "Mova:Lora";

    /// <summary>
    /// Folders a registration may name a path under (after following links); a path anywhere else is refused. Empty
    /// (the default) refuses path references. The files are copied into the object store at registration.
    /// </summary>
    public List<string> ReferenceRoots { get; set; } = [];

    /// <summary>
    /// Object-key prefixes (ending in '/') of the clip store's bucket or folder that a registration may import from.
    /// Empty (the default) refuses object-key references.
    /// </summary>
    public List<string> ObjectKeyPrefixes { get; set; } = [];

    /// <summary>How long content no name points at is kept before it is deleted (if no queued or running job uses it). Default 10 minutes.</summary>
    public TimeSpan DeletedContentRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a registry with content waiting to be deleted checks it. Default 1 minute.</summary>
    public TimeSpan CollectInterval { get; set; } = TimeSpan.FromMinutes(1);
}
