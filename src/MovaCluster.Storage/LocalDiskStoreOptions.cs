namespace MovaCluster.Storage;

/// <summary>A clip store in a local folder.</summary>
public sealed class LocalDiskStoreOptions
{
    /// <summary>
    /// Folder for clips. Empty (the default): <c>movacluster-clips</c> in the system's temp folder, the same for every
    /// process of a host (a silo and a gateway on one machine agree). A relative path is taken from the process's
    /// working directory.
    /// </summary>
    public string RootPath { get; set; } = "";

    /// <summary>The folder clips go to: <see cref="RootPath"/>, or its default, as a full path.</summary>
    public string EffectiveRootPath => Path.GetFullPath(RootPath.Length > 0 ? RootPath : Path.Combine(Path.GetTempPath(), "movacluster-clips"));

    /// <summary>
    /// Absolute base URL under which the host serves stored objects (object keys are appended). Default
    /// <c>http://localhost:8080/files/</c>.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:8080/files/";

    /// <summary>
    /// Key that signs download links (at least 32 characters). Empty (the default) makes a random key per process,
    /// so links stop working after a restart.
    /// </summary>
    public string SigningKey { get; set; } = "";
}
