using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MovaCluster.Api.Tests.Infrastructure;
using MovaCluster.Execution.TestDevices.Synthetic;
using SkiaSharp;

namespace MovaCluster.Api.Tests.Sglang;

/// <summary>
/// MOVA's own workflow client (<c>workflow/sglang_client.py</c>, unchanged, on Debian's python3 with python3-requests),
/// written for an SGLang server, drives the cluster end to end; and the exact requests it sends get SGLang's answers:
/// its 640x360 is snapped to 640x352 and the real size reported, /download serves the bytes /content does (the client
/// fetches it when the video names no download_url or video_url, which it could not use: it rewrites any URL with a
/// host to http:///host/...), the completed video carries SGLang's url, and /models answers in SGLang's shape, all
/// without an API key (the anonymous tenant is on here, and off by default).
/// </summary>
public sealed class SglangClientTests(SglangGatewayFactory factory) : IClassFixture<SglangGatewayFactory>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task MOVAs_unchanged_workflow_client_submits_waits_and_downloads()
    {
        using var http = factory.KeylessClient();
        var folder = Directory.CreateTempSubdirectory("mova-sglang-client-").FullName;
        try
        {
            var source = await OfficialSglangClient.WriteToAsync(folder);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Sglang", "drive_sglang_client.py"), Path.Combine(folder, "drive_sglang_client.py"));
            await File.WriteAllTextAsync(Path.Combine(folder, "config.py"), $$"""
                SGLANG_SERVERS = {
                    "mova-360p": {"name": "MovaCluster", "base_url": "{{factory.BaseAddress}}", "default_size": "640x360", "description": "MovaCluster under test"},
                }
                """);
            var image = Path.Combine(folder, "first_frame.png");
            await File.WriteAllBytesAsync(image, Png(96, 64));
            var saved = Path.Combine(folder, "out", "video.mp4");

            var (exitCode, stdout, stderr) = await RunAsync(folder, "drive_sglang_client.py", "mova-360p", image, saved);

            Assert.True(exitCode == 0, $"MOVA's workflow client ({source}) failed ({exitCode}):\n{stdout}\n{stderr}");
            var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
            var id = result.GetProperty("id").GetString()!;
            Assert.Equal("queued", result.GetProperty("submitted_status").GetString());
            Assert.Equal("completed", result.GetProperty("status").GetString());
            Assert.Equal($"{factory.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/videos/{id}/download", result.GetProperty("download_url").GetString());
            Assert.Contains(id, result.GetProperty("listed").EnumerateArray().Select(item => item.GetString()));
            var content = await http.GetByteArrayAsync($"/v1/videos/{id}/content");
            Assert.Equal(content, await File.ReadAllBytesAsync(saved));
            var video = await VideoApi.GetAsync(http, $"/v1/videos/{id}");
            Assert.Equal("640x352", video.GetProperty("size").GetString());
            Assert.Equal("640x360", video.GetProperty("requested_size").GetString());
            Assert.Equal(193, video.GetProperty("num_frames").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string folder, params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run tests/install-test-deps.sh (Debian's python3 and python3-requests).");
        var start = new ProcessStartInfo(Python, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PYTHONPATH"] = folder;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await python.WaitForExitAsync(timeout.Token);
        return (python.ExitCode, await stdout, await stderr);
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 120, 40));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
