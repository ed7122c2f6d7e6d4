using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovaCluster.Testing;

namespace MovaCluster.Media.Tests;

/// <summary>The machine's ffmpeg can produce what we ship: H.264 yuv420p + AAC in MP4, checked by ffprobe.</summary>
public sealed class FfmpegToolchainTests
{
    [Fact]
    public async Task One_second_h264_aac_clip_is_muxed_and_probed()
    {
        var output = Path.Combine(Path.GetTempPath(), $"toolchain-{Guid.NewGuid():N}.mp4");
        try
        {
            await RunAsync(FfmpegTools.Ffmpeg,
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x176:rate=24:duration=1",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast",
                "-c:a", "aac", "-movflags", "+faststart", "-shortest", output);

            var probe = JsonDocument.Parse(await RunAsync(FfmpegTools.Ffprobe,
                "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", output));
            var streams = probe.RootElement.GetProperty("streams").EnumerateArray().ToList();
            var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
            var audio = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");

            Assert.Equal("h264", video.GetProperty("codec_name").GetString());
            Assert.Equal("yuv420p", video.GetProperty("pix_fmt").GetString());
            Assert.Equal(24, int.Parse(video.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal("aac", audio.GetProperty("codec_name").GetString());
            Assert.Equal("48000", audio.GetProperty("sample_rate").GetString());
            var duration = double.Parse(probe.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
            Assert.InRange(duration, 0.95, 1.1);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static async Task<string> RunAsync(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(binary)} failed: {await stderr}");
        return await stdout;
    }
}
