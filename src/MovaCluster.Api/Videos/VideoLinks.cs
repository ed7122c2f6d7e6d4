namespace MovaCluster.Api.Videos;

/// <summary>
/// The absolute download link of a completed video (SGLang's <c>url</c>): the configured public base URL, else the
/// scheme and host the request came to, then <c>/v1/videos/{id}/download</c>.
/// </summary>
public static class VideoLinks
{
    public static string BaseOf(HttpRequest request, Uri? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        return publicBaseUrl is not null ? publicBaseUrl.AbsoluteUri.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    public static VideoObject With(VideoObject video, string? baseUrl, bool downloadUrlFields)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (baseUrl is null || video.Status != "completed")
        {
            return video;
        }

        var link = $"{baseUrl}/v1/videos/{video.Id}/download";
        return downloadUrlFields ? video with { Url = link, DownloadUrl = link, VideoUrl = link } : video with { Url = link };
    }
}
