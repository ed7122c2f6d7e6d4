namespace MovaCluster.Storage;

/// <summary>Where clips are kept.</summary>
public enum ClipStoreProvider
{
    /// <summary>Files under a local folder: the embedded, single-process default.</summary>
    LocalDisk,

    /// <summary>An S3 API (MinIO, AWS S3, Swift s3api, ...).</summary>
    S3,
}
