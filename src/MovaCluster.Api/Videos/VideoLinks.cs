namespace MovaCluster.Api.Videos;

/// <summary>
/// The absolute download link of a completed video (<c>download_url</c>, and the same as <c>video_url</c>), which
/// SGLang-style clients such as MOVA's workflow client fetch as given: the configured public base URL, else the
/// scheme and host the request came to.
/// </summary>
public static class VideoLinks
{
    public static string BaseOf(HttpRequest request, Uri? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        return publicBaseUrl is not null ? publicBaseUrl.AbsoluteUri.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    public static VideoObject With(VideoObject video, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (baseUrl is null || video.Status != "completed")
        {
            return video;
        }

        var url = $"{baseUrl}/v1/videos/{video.Id}/download";
        return video with { DownloadUrl = url, VideoUrl = url };
    }
}
