namespace MovaCluster.Storage;

/// <summary>
/// The variant names a finished job stores, matching the OpenAI videos API's <c>variant</c> values
/// (<c>video</c>, <c>thumbnail</c>, <c>spritesheet</c>) so that writer and reader agree on the keys.
/// </summary>
public static class StandardVariants
{
    /// <summary>The MP4 clip.</summary>
    public const string Video = "video.mp4";

    /// <summary>A JPEG thumbnail.</summary>
    public const string ThumbnailJpeg = "thumbnail.jpg";

    /// <summary>A WebP thumbnail.</summary>
    public const string ThumbnailWebP = "thumbnail.webp";

    /// <summary>A JPEG spritesheet.</summary>
    public const string SpritesheetJpeg = "spritesheet.jpg";

    /// <summary>A WebP spritesheet.</summary>
    public const string SpritesheetWebP = "spritesheet.webp";

    /// <summary>
    /// The stored names that can answer an API <c>variant</c> (<c>video</c>, <c>thumbnail</c> or
    /// <c>spritesheet</c>), preferred first; empty for an unknown variant.
    /// </summary>
    public static IReadOnlyList<string> ForApiVariant(string apiVariant) => apiVariant switch
    {
        "video" => [Video],
        "thumbnail" => [ThumbnailJpeg, ThumbnailWebP],
        "spritesheet" => [SpritesheetJpeg, SpritesheetWebP],
        _ => [],
    };
}
