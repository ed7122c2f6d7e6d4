using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovaCluster.Testing;

namespace MovaCluster.Media.Tests;

/// <summary>What the ffprobe command line says about a file (streams with counted frames, and the container).</summary>
internal sealed class FfprobeReport
{
    private FfprobeReport(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public JsonElement Video => Stream("video");

    public JsonElement Audio => Stream("audio");

    public static async Task<FfprobeReport> RunAsync(string path)
    {
        var start = new ProcessStartInfo(FfmpegTools.Ffprobe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "ffprobe failed: " + await stderr);
        return new FfprobeReport(JsonDocument.Parse(await stdout).RootElement.Clone());
    }

    public static double Number(JsonElement element, string property) =>
        double.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    public static double Rational(JsonElement element, string property)
    {
        var parts = element.GetProperty(property).GetString()!.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private JsonElement Stream(string type) =>
        Root.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == type);
}
