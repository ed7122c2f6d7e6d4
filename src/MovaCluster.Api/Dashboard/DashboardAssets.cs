using System.Collections.Frozen;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// The page, its stylesheet and script, embedded in the assembly (the machines have no internet, so nothing comes
/// from a CDN) and served with a strong ETag.
/// </summary>
public static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType, string ETag)> Files = new Dictionary<string, (byte[], string, string)>
    {
        ["index.html"] = Load("index.html", "text/html; charset=utf-8"),
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IResult Serve(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == file.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        context.Response.Headers.ETag = file.ETag;
        return Results.Bytes(file.Body, file.ContentType);
    }

    private static (byte[] Body, string ContentType, string ETag) Load(string name, string contentType)
    {
        var resource = $"MovaCluster.Api.Dashboard.Assets.{name}";
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard asset '{resource}' is not embedded in the gateway assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var body = buffer.ToArray();
        return (body, contentType, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"");
    }
}
