namespace MovaCluster.Api.Videos;

/// <summary>One page of a tenant's videos, in the requested order.</summary>
public sealed record VideoPage(IReadOnlyList<VideoRecord> Items, bool HasMore);
