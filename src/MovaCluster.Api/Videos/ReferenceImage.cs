using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Videos;

/// <summary>Reference images: data URLs in, PNG or JPEG bytes out, with the size limit applied.</summary>
public static class ReferenceImage
{
    public const string Param = "input_reference";

    /// <summary>Decodes a <c>data:image/...;base64,...</c> URL; other URLs are refused (the gateway fetches nothing).</summary>
    public static byte[] FromDataUrl(string url, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiErrorException(ApiError.Unprocessable("unsupported_value",
                "input_reference.image_url must be a data URL (data:image/png;base64,...); the gateway does not fetch remote images. Upload the file instead.", Param));
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0 || !url[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "input_reference.image_url is not a base64 data URL.", Param));
        }

        var payload = url.AsSpan(comma + 1);
        if (payload.Length / 4L * 3 > maxBytes + 3)
        {
            throw TooLarge(maxBytes);
        }

        var bytes = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out var written))
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_value", "input_reference.image_url has invalid base64 data.", Param));
        }

        return Check(bytes.AsSpan(0, written).ToArray(), maxBytes);
    }

    /// <summary>Accepts PNG and JPEG within the size limit (413 above it, 415 for anything else).</summary>
    public static byte[] Check(byte[] bytes, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        ReadOnlySpan<byte> jpeg = [0xFF, 0xD8, 0xFF];
        if (!bytes.AsSpan().StartsWith(png) && !bytes.AsSpan().StartsWith(jpeg))
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_image",
                "input_reference is not a PNG or JPEG image.", Param));
        }

        return bytes;
    }

    private static ApiErrorException TooLarge(long maxBytes) =>
        new(ApiError.TooLarge("image_too_large", $"input_reference is larger than {maxBytes} bytes.", Param));
}
