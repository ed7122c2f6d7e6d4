namespace MovaCluster.Storage;

/// <summary>Clip storage settings, bound from the <c>Mova:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mova:Storage";

    /// <summary>Which store to use. Default <see cref="ClipStoreProvider.LocalDisk"/>.</summary>
    public ClipStoreProvider Provider { get; set; } = ClipStoreProvider.LocalDisk;

    /// <summary>Lifetime of download links when the caller gives none. Default 1 hour; at most 7 days (the S3 limit).</summary>
    public TimeSpan DownloadLinkExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts per operation, the first included, before a transient failure is reported. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the first retry; it doubles per retry (with jitter) up to <see cref="MaxRetryDelay"/>. Default 200 ms.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between retries. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one request to the store. Default 60 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>S3 settings, used when <see cref="Provider"/> is <see cref="ClipStoreProvider.S3"/>.</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>Local folder settings, used when <see cref="Provider"/> is <see cref="ClipStoreProvider.LocalDisk"/>.</summary>
    public LocalDiskStoreOptions LocalDisk { get; set; } = new();
}
