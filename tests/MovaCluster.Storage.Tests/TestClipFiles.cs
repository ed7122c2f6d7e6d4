using System.Diagnostics;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

/// <summary>Clip payloads for store tests: random bytes, or a real MP4 made by ffmpeg.</summary>
internal static class TestClipFiles
{
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static ClipMetadata Metadata(string jobId = "job-1") => new(jobId, "mova-360p", 42, TimeSpan.FromSeconds(8.04));

    /// <summary>Writes a 2 s H.264 + AAC test pattern with ffmpeg and returns its bytes.</summary>
    public static async Task<byte[]> Mp4Async(string folder)
    {
        var path = Path.Combine(folder, "pattern.mp4");
        var start = new ProcessStartInfo(FfmpegTools.Ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x176:rate=24:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-movflags", "+faststart", "-shortest", path,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "ffmpeg failed: " + await stderr);
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>Runs ffprobe on <paramref name="path"/> and returns the codec names of its streams.</summary>
    public static async Task<string[]> CodecsAsync(string path)
    {
        var start = new ProcessStartInfo(FfmpegTools.Ffprobe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
