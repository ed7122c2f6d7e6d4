namespace MovaCluster.Storage;

/// <summary>
/// Finished clips and their variants, per tenant. An object becomes visible (to listings, reads and links) only
/// once it is complete: uploads go to a temporary key and are published in one step.
/// </summary>
public interface IClipStore
{
    /// <summary>
    /// Stores <paramref name="content"/> (a seekable stream, read from its current position to the end) under
    /// <paramref name="name"/>, replacing any earlier object, with <paramref name="metadata"/>.
    /// </summary>
    Task<StoredClip> PutAsync(ClipObjectName name, Stream content, ClipMetadata metadata, CancellationToken cancellationToken);

    /// <summary>The stored object's size and metadata; throws <see cref="ClipNotFoundException"/> when absent.</summary>
    Task<StoredClip> GetInfoAsync(ClipObjectName name, CancellationToken cancellationToken);

    /// <summary>The completed objects of a tenant (never uploads in progress).</summary>
    Task<IReadOnlyList<StoredClip>> ListAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>A link that downloads the object without credentials until it expires.</summary>
    Task<Uri> GetDownloadUrlAsync(ClipObjectName name, TimeSpan? expiry, CancellationToken cancellationToken);

    /// <summary>Opens the object, or <paramref name="range"/> of it, for reading.</summary>
    Task<Stream> OpenReadAsync(ClipObjectName name, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>Deletes one object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(ClipObjectName name, CancellationToken cancellationToken);

    /// <summary>
    /// One quick look at the store, without retries (a readiness check): returns when it can be written to, throws
    /// when it cannot be reached or used.
    /// </summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every variant of a clip; returns how many objects were removed.</summary>
    Task<int> DeleteClipAsync(string tenant, string clipId, CancellationToken cancellationToken);
}
