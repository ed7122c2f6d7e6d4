using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MovaCluster.Storage.LocalDisk;

/// <summary>
/// Serves the local-disk store's signed download links, so that they behave like S3 presigned URLs: the link's
/// signature and expiry are checked, Range requests get 206 answers, anything else gets 403 or 404.
/// </summary>
public static class LocalDiskDownloadEndpoints
{
    /// <summary>
    /// Maps <c>GET {path of LocalDisk:PublicBaseUrl}{**key}</c>. Does nothing useful unless the registered
    /// <see cref="IClipStore"/> is a <see cref="LocalDiskClipStore"/> (requests then answer 404).
    /// </summary>
    public static IEndpointConventionBuilder MapLocalDiskClipDownloads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value;
        var prefix = new Uri(options.LocalDisk.PublicBaseUrl).AbsolutePath;
        return endpoints.MapGet(prefix + "{**key}", ServeAsync);
    }

    private static async Task<IResult> ServeAsync(string key, long? expires, string? signature, IClipStore store, CancellationToken cancellationToken)
    {
        if (store is not LocalDiskClipStore local)
        {
            return Results.NotFound();
        }

        if (expires is null || signature is null || local.VerifyDownloadLink(key, expires.Value, signature) is not { } name)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        StoredClip info;
        Stream content;
        try
        {
            info = await local.GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
            content = await local.OpenReadAsync(name, range: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClipNotFoundException)
        {
            return Results.NotFound();
        }

        return Results.File(
            content,
            info.Metadata.ContentType,
            lastModified: info.LastModified,
            entityTag: new EntityTagHeaderValue($"\"{info.Size:x}-{info.LastModified.ToUnixTimeMilliseconds():x}\""),
            enableRangeProcessing: true);
    }
}
