using System.Net;
using System.Security.Cryptography;
using MovaCluster.Api.Tests.Infrastructure;
using SkiaSharp;

namespace MovaCluster.Api.Tests;

/// <summary>Create -> events -> completed -> content, through the HTTP API of an in-process cluster.</summary>
public sealed class VideoFlowTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public VideoFlowTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task A_created_video_streams_its_progress_completes_and_serves_its_clip()
    {
        using var client = _factory.ClientWithKey();
        using var created = await VideoApi.SendCreateAsync(client, VideoApi.TinyRequest());
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("1000", created.Headers.GetValues("openai-poll-after-ms").Single());
        var video = await VideoApi.ReadAsync(created);
        var id = video.GetProperty("id").GetString()!;
        Assert.StartsWith("video_", id, StringComparison.Ordinal);
        Assert.Equal("video", video.GetProperty("object").GetString());
        Assert.Equal("mova-tiny", video.GetProperty("model").GetString());
        Assert.Equal("64x48", video.GetProperty("size").GetString());
        Assert.Equal("1", video.GetProperty("seconds").GetString());
        Assert.Contains(video.GetProperty("status").GetString(), new[] { "queued", "in_progress", "completed" });

        var events = await SseClient.ReadAsync(client, $"/v1/videos/{id}/events");
        Assert.Equal("video.snapshot", events[0].Type);
        // A video that waits behind another test's gets unnumbered place-in-line updates between the numbered events.
        Assert.All(events.Skip(1).Where(item => item.Id is null), item =>
        {
            Assert.Equal("video.queued", item.Type);
            Assert.Equal(0, item.Data.GetProperty("sequence").GetInt64());
        });
        var numbered = events.Skip(1).Where(item => item.Id is not null).ToList();
        Assert.All(numbered, item => Assert.Equal(item.Id, item.Data.GetProperty("sequence").GetInt64()));
        Assert.Equal(numbered.Select(item => item.Id!.Value).Order(), numbered.Select(item => item.Id!.Value));
        Assert.Equal(numbered.Count, numbered.Select(item => item.Id).Distinct().Count());
        Assert.Equal("video.queued", numbered[0].Type);
        Assert.Contains(numbered, item => item.Type == "video.started");
        Assert.Equal([1, 2, 3, 4], numbered.Where(item => item.Type == "video.progress").Select(item => item.Data.GetProperty("step").GetInt32()));
        var previews = numbered.Where(item => item.Type == "video.preview").ToList();
        Assert.Equal([1, 2, 3, 4], previews.Select(item => item.Data.GetProperty("step").GetInt32()));
        Assert.All(previews, item => Assert.Equal("image/jpeg", item.Data.GetProperty("content_type").GetString()));
        // 9 frames at 8 fps: int(48000 * 9 / 8) = 54000 samples -> 57 audio latent frames, one envelope level each.
        Assert.All(previews, item => Assert.Equal(57, item.Data.GetProperty("audio_envelope").GetArrayLength()));
        var completed = numbered[^1];
        Assert.Equal("video.completed", completed.Type);

        var finished = await VideoApi.GetAsync(client, $"/v1/videos/{id}");
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(100, finished.GetProperty("progress").GetInt32());
        Assert.True(finished.GetProperty("completed_at").GetInt64() >= finished.GetProperty("created_at").GetInt64());

        using var download = await client.GetAsync($"/v1/videos/{id}/content");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(completed.Data.GetProperty("size_bytes").GetInt64(), bytes.LongLength);
        Assert.Equal(completed.Data.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content?variant=video");
        ranged.Headers.Range = new(10, 29);
        using var partial = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[10..30], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.LongLength, partial.Content.Headers.ContentRange!.Length);

        using var outside = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content");
        outside.Headers.Range = new(bytes.LongLength + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(outside)).StatusCode);

        var streams = await Ffprobe.StreamsAsync(bytes);
        Assert.Contains("video:h264:64x48", streams);
        Assert.Contains("fps:8/1", streams);
        Assert.Contains(streams, stream => stream.StartsWith("audio:aac", StringComparison.Ordinal));

        // As OpenAI: a WebP thumbnail (one frame at full size) and a JPEG spritesheet (5x5 tiles, here 64x48 each).
        var thumbnail = await DownloadImageAsync(client, id, "thumbnail", "image/webp", SKEncodedImageFormat.Webp, 64, 48);
        await DownloadImageAsync(client, id, "spritesheet", "image/jpeg", SKEncodedImageFormat.Jpeg, 5 * 64, 5 * 48);
        using var thumbnailRange = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/{id}/content?variant=thumbnail");
        thumbnailRange.Headers.Range = new(2, 11);
        using var thumbnailPart = await client.SendAsync(thumbnailRange);
        Assert.Equal(HttpStatusCode.PartialContent, thumbnailPart.StatusCode);
        Assert.Equal("image/webp", thumbnailPart.Content.Headers.ContentType?.MediaType);
        Assert.Equal(thumbnail[2..12], await thumbnailPart.Content.ReadAsByteArrayAsync());
    }

    private static async Task<byte[]> DownloadImageAsync(
        HttpClient client, string id, string variant, string contentType, SKEncodedImageFormat format, int width, int height)
    {
        using var response = await client.GetAsync($"/v1/videos/{id}/content?variant={variant}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.NotNull(codec);
        Assert.Equal(format, codec.EncodedFormat);
        Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bytes;
    }

    [Fact]
    public async Task Listing_pages_with_cursors_in_both_orders_and_delete_removes_the_video_and_its_clip()
    {
        using var client = _factory.CreateClient();
        using var tenantClient = await TenantClients.NewTenantAsync(_factory, "lister");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await VideoApi.CreateAsync(tenantClient, VideoApi.TinyRequest($"clip {i}"))).GetProperty("id").GetString()!);
        }

        var newestFirst = new List<string>();
        string? after = null;
        bool hasMore;
        do
        {
            var page = await VideoApi.GetAsync(tenantClient, $"/v1/videos?limit=2{(after is null ? "" : $"&after={after}")}");
            Assert.Equal("list", page.GetProperty("object").GetString());
            var data = page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToList();
            Assert.Equal(data[0], page.GetProperty("first_id").GetString());
            Assert.Equal(data[^1], page.GetProperty("last_id").GetString());
            newestFirst.AddRange(data);
            hasMore = page.GetProperty("has_more").GetBoolean();
            after = data[^1];
        }
        while (hasMore);

        Assert.Equal(Enumerable.Reverse(ids), newestFirst);
        var ascending = await VideoApi.GetAsync(tenantClient, "/v1/videos?order=asc&limit=100");
        Assert.Equal(ids, ascending.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.False(ascending.GetProperty("has_more").GetBoolean());

        var victim = ids[2];
        // Two videos run before it on the fixture's one worker, beside other test classes on a 2-core machine.
        await VideoApi.WaitForStatusAsync(tenantClient, victim, TimeSpan.FromMinutes(2), "completed");
        var clipFiles = Directory.GetFiles(_factory.ClipDirectory, "*", SearchOption.AllDirectories).Where(f => f.Contains(victim, StringComparison.Ordinal));
        Assert.Equal(
            ["spritesheet.jpg", "thumbnail.webp", "video.mp4"],
            clipFiles.Where(f => f.Contains($"{Path.DirectorySeparatorChar}clips{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var deleted = await tenantClient.DeleteAsync($"/v1/videos/{victim}");
        var body = await VideoApi.ReadAsync(deleted);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(victim, body.GetProperty("id").GetString());
        Assert.Equal("video.deleted", body.GetProperty("object").GetString());
        Assert.True(body.GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain(Directory.GetFiles(_factory.ClipDirectory, "*", SearchOption.AllDirectories), f => f.Contains(victim, StringComparison.Ordinal));
        using var gone = await tenantClient.GetAsync($"/v1/videos/{victim}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var remaining = await VideoApi.GetAsync(tenantClient, "/v1/videos?limit=100");
        Assert.DoesNotContain(victim, remaining.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal(4, remaining.GetProperty("data").GetArrayLength());
    }
}
