namespace MovaCluster.Api.Content;

/// <summary>The downloadable forms of a finished video (OpenAI's <c>variant</c> values).</summary>
public enum VideoVariant
{
    Video,
    Thumbnail,
    Spritesheet,
}
