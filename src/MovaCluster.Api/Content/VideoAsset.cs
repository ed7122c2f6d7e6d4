using MovaCluster.Storage;

namespace MovaCluster.Api.Content;

/// <summary>A stored asset of a finished video: where it is, how big, what type, and when it was written.</summary>
public sealed record VideoAsset(ClipObjectName Name, long Size, string ContentType, DateTimeOffset LastModified);
