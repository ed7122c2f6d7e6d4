using Microsoft.Extensions.Options;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Imaging;

/// <summary>
/// Turns an uploaded reference image into MOVA's [1, 3, H, W] float32 input in [-1, 1]: PNG, JPEG or WebP decoded
/// (alpha dropped, EXIF orientation ignored, as PIL's <c>convert("RGB")</c>), centre-cropped to the target aspect,
/// resized with Pillow-exact bicubic, then x / 255 · 2 - 1.
/// </summary>
public sealed class ReferenceImageLoader
{
    private static readonly SKEncodedImageFormat[] Supported = [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp];

    private readonly ReferenceImageOptions _options;

    public ReferenceImageLoader(IOptions<ReferenceImageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>Decodes to packed RGB bytes with the image's own size.</summary>
    public (byte[] Rgb, int Width, int Height) DecodeRgb(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidReferenceImageException("The reference image is empty.");
        }

        if (encoded.Length > _options.MaxEncodedBytes)
        {
            throw new InvalidReferenceImageException(
                $"The reference image is {encoded.Length} bytes; the limit is {_options.MaxEncodedBytes}.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidReferenceImageException("The reference image is not a readable PNG, JPEG or WebP file (corrupt or unsupported).");
        if (!Supported.Contains(codec.EncodedFormat))
        {
            throw new InvalidReferenceImageException($"Reference image format {codec.EncodedFormat} is not supported; use PNG, JPEG or WebP.");
        }

        int width = codec.Info.Width;
        int height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > _options.MaxPixels)
        {
            throw new InvalidReferenceImageException(
                $"The reference image is {width}x{height} pixels; the limit is {_options.MaxPixels} pixels.");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidReferenceImageException($"The reference image could not be decoded ({result}); the file is corrupt or truncated.");
        }

        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }

        return (rgb, width, height);
    }

    /// <summary>Cropped and resized packed RGB at the target size.</summary>
    public byte[] PrepareRgb(ReadOnlySpan<byte> encoded, int targetWidth, int targetHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);
        var (rgb, width, height) = DecodeRgb(encoded);
        var box = CropBox.CenterForAspect(width, height, targetWidth, targetHeight);
        var cropped = new byte[box.Width * box.Height * 3];
        for (int y = 0; y < box.Height; y++)
        {
            Array.Copy(rgb, (((box.Top + y) * width) + box.Left) * 3, cropped, y * box.Width * 3, box.Width * 3);
        }

        return PillowBicubicResampler.Resize(cropped, box.Width, box.Height, targetWidth, targetHeight);
    }

    /// <summary>MOVA's image tensor [1, 3, H, W] in [-1, 1] (float32) on <paramref name="device"/>.</summary>
    public Tensor Load(ReadOnlySpan<byte> encoded, int targetWidth, int targetHeight, Device device)
    {
        byte[] rgb = PrepareRgb(encoded, targetWidth, targetHeight);
        using var scope = torch.NewDisposeScope();
        var pixels = torch.tensor(rgb, dtype: ScalarType.Byte).view(targetHeight, targetWidth, 3);
        var unit = pixels.to(ScalarType.Float32) / 255.0f;
        var image = ((unit * 2.0f) - 1.0f).permute(2, 0, 1).unsqueeze(0).contiguous().to(device);
        return image.MoveToOuterDisposeScope();
    }
}
