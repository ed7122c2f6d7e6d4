using System.Text.Json;
using MovaCluster.Api.Json;
using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Tests.Sglang;

public sealed class DownloadUrlFieldsTests
{
    private static readonly VideoObject Completed = new() { Id = "video_1", Model = "mova-360p", Status = "completed", Seconds = "8", Size = "640x352" };

    [Fact]
    public void By_default_a_completed_video_names_its_link_url_only()
    {
        var json = Serialize(VideoLinks.With(Completed, "https://videos.example.com", downloadUrlFields: false));

        Assert.Equal("https://videos.example.com/v1/videos/video_1/download", json.GetProperty("url").GetString());
        Assert.False(json.TryGetProperty("download_url", out _));
        Assert.False(json.TryGetProperty("video_url", out _));
    }

    [Fact]
    public void With_the_option_on_a_completed_video_also_carries_download_url_and_video_url()
    {
        var json = Serialize(VideoLinks.With(Completed, "https://videos.example.com", downloadUrlFields: true));

        Assert.Equal("https://videos.example.com/v1/videos/video_1/download", json.GetProperty("download_url").GetString());
        Assert.Equal("https://videos.example.com/v1/videos/video_1/download", json.GetProperty("video_url").GetString());
        Assert.Equal(json.GetProperty("url").GetString(), json.GetProperty("download_url").GetString());
    }

    [Fact]
    public void A_video_that_is_not_completed_carries_no_link_even_with_the_option_on()
    {
        var json = Serialize(VideoLinks.With(Completed with { Status = "in_progress" }, "https://videos.example.com", downloadUrlFields: true));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("url").ValueKind);
        Assert.False(json.TryGetProperty("download_url", out _));
    }

    private static JsonElement Serialize(VideoObject video) => JsonSerializer.SerializeToElement(video, GatewayJson.Options);
}
