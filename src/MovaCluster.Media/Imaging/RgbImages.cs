using MovaCluster.Media.Frames;
using SkiaSharp;

namespace MovaCluster.Media.Imaging;

/// <summary>Turns packed RGB into Skia images and Skia images into compressed bytes.</summary>
internal static class RgbImages
{
    /// <summary>Copies packed RGB into an opaque RGBA Skia image (Skia has no 24-bit pixel format).</summary>
    public static SKImage FromRgb(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var expected = RgbFrameSize.BytesPerFrame(width, height);
        if (rgb.Length < expected)
        {
            throw new ArgumentException($"A {width}x{height} RGB image needs {expected} bytes; got {rgb.Length}.", nameof(rgb));
        }

        var rgba = new byte[width * height * 4];
        for (int p = 0, s = 0, d = 0; p < width * height; p++, s += 3, d += 4)
        {
            rgba[d] = rgb[s];
            rgba[d + 1] = rgb[s + 1];
            rgba[d + 2] = rgb[s + 2];
            rgba[d + 3] = 255;
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, rgba, width * 4)
            ?? throw new InvalidOperationException($"Skia could not create a {width}x{height} image.");
    }

    /// <summary>Encodes <paramref name="image"/>; throws if Skia lacks the encoder.</summary>
    public static byte[] Encode(SKImage image, ImageEncoding encoding, int quality)
    {
        using var data = image.Encode(encoding.ToSkia(), quality)
            ?? throw new InvalidOperationException($"Skia could not encode {encoding}.");
        return data.ToArray();
    }

    /// <summary>Draws <paramref name="image"/> into <paramref name="destination"/> with bilinear filtering.</summary>
    public static void DrawScaled(SKCanvas canvas, SKImage image, SKRect destination)
    {
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.Medium, IsAntialias = false };
        canvas.DrawImage(image, destination, paint);
    }
}
