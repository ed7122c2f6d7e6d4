using System.Globalization;
using Microsoft.Net.Http.Headers;
using MovaCluster.Storage;

namespace MovaCluster.Api.Content;

/// <summary>
/// Streams an asset, honouring one <c>Range: bytes=</c> range (206 with Content-Range, or 416 when it lies outside
/// the asset). Multi-range or malformed headers get the whole asset, as RFC 9110 allows.
/// </summary>
public sealed class ContentResult(IVideoContentSource source, VideoAsset asset) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.LastModified = asset.LastModified.ToString("R", CultureInfo.InvariantCulture);
        response.ContentType = asset.ContentType;
        var range = ParseRange(httpContext.Request.Headers.Range.ToString(), asset.Size, out var unsatisfiable);
        if (unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{asset.Size}";
            return;
        }

        long length = asset.Size;
        if (range is not null)
        {
            length = range.Length!.Value;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.Offset}-{range.Offset + length - 1}/{asset.Size}";
        }

        response.ContentLength = length;
        await using var stream = await source.OpenAsync(asset, range, httpContext.RequestAborted);
        await stream.CopyToAsync(response.Body, httpContext.RequestAborted);
    }

    /// <summary>The single satisfiable range asked for, or null for the whole asset.</summary>
    public static ByteRange? ParseRange(string header, long size, out bool unsatisfiable)
    {
        unsatisfiable = false;
        if (string.IsNullOrEmpty(header) || !RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return null;
        }

        var item = parsed.Ranges.First();
        long start;
        long end;
        if (item.From is null)
        {
            var suffix = Math.Min(item.To ?? 0, size);
            start = size - suffix;
            end = size - 1;
            if (suffix <= 0)
            {
                unsatisfiable = true;
                return null;
            }
        }
        else
        {
            start = item.From.Value;
            end = Math.Min(item.To ?? (size - 1), size - 1);
            if (start >= size || end < start)
            {
                unsatisfiable = true;
                return null;
            }
        }

        return new ByteRange(start, end - start + 1);
    }
}
