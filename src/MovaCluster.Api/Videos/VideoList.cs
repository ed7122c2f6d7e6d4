namespace MovaCluster.Api.Videos;

/// <summary>A page of videos in OpenAI's cursor-page shape.</summary>
public sealed record VideoList(IReadOnlyList<VideoObject> Data, bool HasMore, string? FirstId, string? LastId)
{
    public string Object { get; init; } = "list";
}
