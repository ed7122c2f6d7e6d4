using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Execution.TestDevices.Synthetic;
using SkiaSharp;

namespace MovaCluster.Api.Tests.Sglang;

/// <summary>
/// The exact requests MOVA's own workflow client (<c>workflow/sglang_client.py</c>, written for an SGLang server) sends
/// get SGLang's answers (load-tests/sglang-client runs the unchanged client itself against a cluster):
/// its 640x360 is snapped to 640x352 and the real size reported, /download serves the bytes /content does (the client
/// fetches it when the video names no download_url or video_url, which it could not use: it rewrites any URL with a
/// host to http:///host/...), the completed video carries SGLang's url, and /models answers in SGLang's shape, all
/// without an API key (the anonymous tenant is on here, and off by default).
/// </summary>
public sealed class SglangClientTests(SglangGatewayFactory factory) : IClassFixture<SglangGatewayFactory>
{
    [Fact]
    public async Task The_clients_exact_requests_get_sglang_shaped_answers()
    {
        using var http = factory.KeylessClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("A lighthouse keeper waves from the gallery."), "prompt" },
            { new StringContent("640x360"), "size" },
            { new StringContent("193"), "num_frames" },
            { new StringContent("24"), "fps" },
            { new StringContent("5.0"), "guidance_scale" },
            { new StringContent("50"), "num_inference_steps" },
            { new StringContent("1234567"), "seed" },
        };
        var file = new ByteArrayContent(Png(96, 64));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "input_reference", "first_frame.png");

        using var created = await http.PostAsync("/v1/videos", form);
        var video = await VideoApi.ReadAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.OK, video.ToString());
        var id = video.GetProperty("id").GetString()!;
        Assert.Equal("video", video.GetProperty("object").GetString());
        Assert.Equal("mova-360p", video.GetProperty("model").GetString());
        Assert.Equal("640x352", video.GetProperty("size").GetString());
        Assert.Equal("640x360", video.GetProperty("requested_size").GetString());
        Assert.Equal(193, video.GetProperty("num_frames").GetInt32());
        Assert.Equal(24, video.GetProperty("fps").GetInt32());
        Assert.Equal("8", video.GetProperty("seconds").GetString());
        Assert.Equal(1234567, video.GetProperty("seed").GetInt64());
        Assert.Equal(50, video.GetProperty("total_steps").GetInt32());
        Assert.Equal(JsonValueKind.Null, video.GetProperty("url").ValueKind);
        Assert.False(video.TryGetProperty("download_url", out _));
        Assert.False(video.TryGetProperty("video_url", out _));

        var finished = await VideoApi.WaitForStatusAsync(http, id, TimeSpan.FromMinutes(3), "completed", "failed");
        var url = $"{factory.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/videos/{id}/download";
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(url, finished.GetProperty("url").GetString());
        Assert.Equal(SyntheticGenerationExecutor.ModelName, finished.GetProperty("worker_model").GetString());
        using var download = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await http.GetByteArrayAsync($"/v1/videos/{id}/content"), await download.Content.ReadAsByteArrayAsync());
        var listed = await VideoApi.GetAsync(http, "/v1/videos?limit=100");
        Assert.Equal(url, listed.GetProperty("data").EnumerateArray().Single(item => item.GetProperty("id").GetString() == id).GetProperty("url").GetString());

        var info = await VideoApi.GetAsync(http, "/models");
        Assert.Equal(SyntheticGenerationExecutor.ModelName, info.GetProperty("model_path").GetString());
        Assert.Equal("mova-360p", info.GetProperty("model").GetString());
        Assert.Equal(1, info.GetProperty("num_gpus").GetInt32());
        Assert.Equal("TI2V", info.GetProperty("task_type").GetString());
        Assert.Equal("MOVA", info.GetProperty("pipeline_name").GetString());
        Assert.Equal("MOVAPipeline", info.GetProperty("pipeline_class").GetString());
        var models = await VideoApi.GetAsync(http, "/v1/models");
        var p360 = models.GetProperty("data").EnumerateArray().Single(model => model.GetProperty("id").GetString() == "mova-360p");
        Assert.True(p360.GetProperty("served").GetBoolean());
        Assert.True(p360.GetProperty("default").GetBoolean());
        Assert.Equal("mova-360p", p360.GetProperty("root").GetString());
    }

    [Fact]
    public async Task The_anonymous_tenant_takes_keyless_requests_only()
    {
        using var keyless = factory.KeylessClient();
        using var wrongKey = factory.KeylessClient();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "mova_sk_not_a_key");

        using var listed = await keyless.GetAsync("/v1/videos");
        using var refused = await wrongKey.GetAsync("/v1/videos");
        using var admin = await keyless.GetAsync("/admin/queue");
        using var dashboard = await keyless.GetAsync("/dashboard/api/frame");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        await ErrorAssert.IsAsync(refused, HttpStatusCode.Unauthorized, "invalid_api_key");
        await ErrorAssert.IsAsync(admin, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 120, 40));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
