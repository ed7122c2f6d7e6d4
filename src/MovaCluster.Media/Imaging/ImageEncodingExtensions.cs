using SkiaSharp;

namespace MovaCluster.Media.Imaging;

/// <summary>Media types and Skia formats of <see cref="ImageEncoding"/> values.</summary>
public static class ImageEncodingExtensions
{
    /// <summary>The HTTP content type, e.g. <c>image/jpeg</c>.</summary>
    public static string ContentType(this ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Jpeg => "image/jpeg",
        ImageEncoding.WebP => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown image encoding."),
    };

    /// <summary>The usual file extension with its dot, e.g. <c>.jpg</c>.</summary>
    public static string FileExtension(this ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Jpeg => ".jpg",
        ImageEncoding.WebP => ".webp",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown image encoding."),
    };

    internal static SKEncodedImageFormat ToSkia(this ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Jpeg => SKEncodedImageFormat.Jpeg,
        ImageEncoding.WebP => SKEncodedImageFormat.Webp,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown image encoding."),
    };
}
