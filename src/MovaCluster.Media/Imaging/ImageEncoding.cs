namespace MovaCluster.Media.Imaging;

/// <summary>Compressed still-image formats for thumbnails, spritesheets and previews.</summary>
public enum ImageEncoding
{
    /// <summary>JPEG (image/jpeg).</summary>
    Jpeg,

    /// <summary>Lossy WebP (image/webp).</summary>
    WebP,
}
