namespace MovaCluster.Execution.Publishing;

/// <summary>A stored clip: where it is, what it is, and a hash of its bytes.</summary>
public sealed record PublishedClip(string Key, string ContentType, long SizeBytes, string Sha256);
