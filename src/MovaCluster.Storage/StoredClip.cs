namespace MovaCluster.Storage;

/// <summary>A completed object in the clip store.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Metadata">Job id, model, seed, duration and content type.</param>
/// <param name="LastModified">When it was completed.</param>
public sealed record StoredClip(ClipObjectName Name, long Size, ClipMetadata Metadata, DateTimeOffset LastModified);
