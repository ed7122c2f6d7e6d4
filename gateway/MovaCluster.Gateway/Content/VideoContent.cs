namespace MovaCluster.Gateway.Content;

/// <summary>An opened asset: a seekable stream (so Range requests are served) and its type.</summary>
public sealed record VideoContent(Stream Stream, string ContentType, DateTimeOffset LastModified);
