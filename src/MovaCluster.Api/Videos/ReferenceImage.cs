using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Videos;

/// <summary>Reference images as received: data URLs in, bytes out, with the size limit applied (the content is checked by <see cref="ReferenceImageInspector"/>).</summary>
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

    /// <summary>Applies the size limit (413 above it).</summary>
    public static byte[] Check(byte[] bytes, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.LongLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (bytes.Length == 0)
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_image", "input_reference is empty.", Param));
        }

        return bytes;
    }

    private static ApiErrorException TooLarge(long maxBytes) =>
        new(ApiError.TooLarge("image_too_large", $"input_reference is larger than {maxBytes} bytes.", Param));
}
