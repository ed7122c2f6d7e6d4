namespace MovaCluster.Storage;

/// <summary>A clip store in a local folder.</summary>
public sealed class LocalDiskStoreOptions
{
    /// <summary>Folder for clips. Default <c>data/clips</c> (relative to the working directory).</summary>
    public string RootPath { get; set; } = Path.Combine("data", "clips");

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
