using System.Buffers;
using System.Runtime.InteropServices;
using MovaCluster.Api.Errors;
using SkiaSharp;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Checks a reference image before anything is charged, the way the worker will read it: PNG, JPEG or WebP (what
/// the worker's loader decodes), dimensions from the header alone, refused above the pixel budget before any pixel is
/// decoded, then every row decoded to prove the file is whole. Rows are decoded one at a time into one reused row
/// buffer, so memory stays at one row whatever the dimensions; only formats that cannot be read row by row
/// (interlaced PNG, some WebP) are decoded whole, and those are within the pixel budget by then.
/// </summary>
public static class ReferenceImageInspector
{
    private static readonly SKEncodedImageFormat[] Supported = [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp];

    /// <summary>The image's format and size; an API error (415, 422) when it is not an acceptable image.</summary>
    public static (SKEncodedImageFormat Format, int Width, int Height) Inspect(byte[] encoded, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null || !Supported.Contains(codec.EncodedFormat))
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_image",
                "input_reference is not a PNG, JPEG or WebP image (or its header is unreadable).", ReferenceImage.Param));
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0)
        {
            throw Corrupt($"its header gives {width}x{height} pixels");
        }

        if ((long)width * height > maxPixels)
        {
            throw new ApiErrorException(ApiError.Unprocessable("image_too_many_pixels",
                $"input_reference is {width}x{height} ({(long)width * height} pixels); the limit is {maxPixels} pixels.", ReferenceImage.Param));
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var decoded = codec.StartScanlineDecode(info) == SKCodecResult.Success && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown
            ? DecodeRowByRow(codec, info)
            : DecodeWhole(codec, info);
        if (!decoded)
        {
            throw Corrupt("it is truncated or damaged");
        }

        return (codec.EncodedFormat, width, height);
    }

    private static bool DecodeRowByRow(SKCodec codec, SKImageInfo info)
    {
        var row = ArrayPool<byte>.Shared.Rent(info.RowBytes);
        var pin = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            var address = pin.AddrOfPinnedObject();
            for (var y = 0; y < info.Height; y++)
            {
                if (codec.GetScanlines(address, 1, info.RowBytes) != 1)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            pin.Free();
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static bool DecodeWhole(SKCodec codec, SKImageInfo info)
    {
        using var bitmap = new SKBitmap(info);
        return codec.GetPixels(info, bitmap.GetPixels()) == SKCodecResult.Success;
    }

    private static ApiErrorException Corrupt(string why) =>
        new(ApiError.Unprocessable("invalid_image", $"input_reference cannot be decoded: {why}.", ReferenceImage.Param));
}
