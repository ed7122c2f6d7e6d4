using System.Diagnostics;
using MovaCluster.Testing;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>Asks the machine's ffprobe what a downloaded file contains.</summary>
public static class Ffprobe
{
    /// <summary>
    /// One entry per stream, "video:h264:WxH" or "audio:aac:RATE", plus "fps:N/D" for the video's frame rate.
    /// Fails when ffprobe rejects the file.
    /// </summary>
    public static async Task<List<string>> StreamsAsync(byte[] file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-test-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, file);
        try
        {
            var start = new ProcessStartInfo(FfmpegTools.Ffprobe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,sample_rate,r_frame_rate", "-of", "csv=p=0", path })
            {
                start.ArgumentList.Add(argument);
            }

            using var probe = Process.Start(start)!;
            var output = await probe.StandardOutput.ReadToEndAsync();
            var errors = await probe.StandardError.ReadToEndAsync();
            await probe.WaitForExitAsync();
            Assert.True(probe.ExitCode == 0 && errors.Length == 0, $"ffprobe rejected the clip: {errors}");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(','))
                .SelectMany(parts => parts[1] == "video"
                    ? new[] { $"video:{parts[0]}:{parts[2]}x{parts[3]}", $"fps:{parts[^1]}" }
                    : new[] { $"{parts[1]}:{parts[0]}:{parts[^2]}" })
                .ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
