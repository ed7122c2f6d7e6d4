namespace MovaCluster.Api.Videos;

/// <summary>Answer to DELETE, as OpenAI shapes it.</summary>
public sealed record VideoDeleted(string Id)
{
    public string Object { get; init; } = "video.deleted";

    public bool Deleted { get; init; } = true;
}
