namespace MovaCluster.Contracts.Loras;

/// <summary>
/// The adapters of one scope by name (key: <see cref="LoraScopes.Tenant"/> or <see cref="LoraScopes.Shared"/>),
/// persisted. Names are unique in a scope; a name points at content by digest, so deleting or re-registering a name
/// never changes a job already created. Content no name points at any more is deleted from the object store once
/// no queued or running job uses it.
/// </summary>
[Alias("MovaCluster.ILoraRegistryGrain")]
public interface ILoraRegistryGrain : IGrainWithStringKey
{
    /// <summary>Registers validated content under a new name; refuses a taken name or a full scope.</summary>
    [Alias("Register")]
    Task<LoraRegistration> RegisterAsync(string name, string source, LoraContent content, int maxAdapters);

    [Alias("Get")]
    Task<LoraAdapterInfo?> GetAsync(string name);

    /// <summary>Several names at once, in order; null where a name is not registered.</summary>
    [Alias("Find")]
    Task<IReadOnlyList<LoraAdapterInfo?>> FindAsync(IReadOnlyList<string> names);

    /// <summary>Every adapter of the scope, by name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<LoraAdapterInfo>> ListAsync();

    /// <summary>Removes a name; returns what it pointed at, or null when it was not registered.</summary>
    [Alias("Delete")]
    Task<LoraAdapterInfo?> DeleteAsync(string name);

    /// <summary>Content stored for a registration that did not happen: deleted unless a name points at it.</summary>
    [Alias("Abandon")]
    Task AbandonAsync(LoraContent content);

    /// <summary>The default set (the shared scope's; empty elsewhere).</summary>
    [Alias("GetDefaults")]
    Task<LoraDefaultSet> GetDefaultsAsync();

    /// <summary>Replaces the default set; null, or why not (an entry names no adapter of this scope).</summary>
    [Alias("SetDefaults")]
    Task<string?> SetDefaultsAsync(LoraDefaultSet defaults);
}
