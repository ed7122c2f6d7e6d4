using System.Diagnostics;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Tiny;
using MovaCluster.Silo.Tests.Failover;

namespace MovaCluster.Silo.Tests;

/// <summary>
/// <c>MovaCluster.Silo calibrate-teacache</c> as an operator runs it: the built silo binary with the worker's
/// configuration (here environment variables naming the tiny model's folder), a plan file of prompts and sizes, and
/// teacache.json written next to the checkpoint's denoiser, where the workers' loader finds it.
/// </summary>
public sealed class TeaCacheCalibrationCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mova-calibrate-command-").FullName;

    [Fact]
    public async Task The_command_fits_the_served_checkpoint_and_writes_teacache_json_beside_it()
    {
        var plan = Path.Combine(_root, "plan.json");
        File.WriteAllText(plan, """
            { "runs": [
                { "prompt": "A drummer on a rooftop at dusk.", "width": 32, "height": 32, "frames": 9, "steps": 8, "seed": 1 },
                { "prompt": "Waves crash on a rocky shore.", "width": 48, "height": 32, "frames": 5, "steps": 10, "seed": 2 } ] }
            """);
        var models = Path.Combine(_root, "models");

        var (exitCode, output) = await RunAsync(["calibrate-teacache", "--plan", plan], models);

        Assert.True(exitCode == 0, output);
        var folder = TinyMovaCheckpoint.EnsureWritten(models);
        var written = TeaCacheCoefficients.TryLoad(folder);
        Assert.NotNull(written);
        Assert.Equal([VideoExpert.HighNoise, VideoExpert.LowNoise], written.Experts.Keys.Order());
        Assert.Equal(2, written.Calibration!.Runs);
        Assert.Contains("calibration run 2/2", output, StringComparison.Ordinal);
        Assert.Contains(TeaCacheCoefficients.FileName, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_invalid_plan_exits_2_and_writes_nothing()
    {
        var bad = Path.Combine(_root, "bad.json");
        File.WriteAllText(bad, """{ "runs": [ { "prompt": "", "width": 32, "height": 32, "steps": 2 } ] }""");
        var models = Path.Combine(_root, "models");

        var (noPlan, noPlanOutput) = await RunAsync(["calibrate-teacache"], models);
        var (invalid, invalidOutput) = await RunAsync(["calibrate-teacache", "--plan", bad], models);

        Assert.Equal(2, noPlan);
        Assert.Contains("--plan is required", noPlanOutput, StringComparison.Ordinal);
        Assert.Equal(2, invalid);
        Assert.Contains("prompt is empty", invalidOutput, StringComparison.Ordinal);
        Assert.Contains("steps must be at least 3", invalidOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(models) && Directory.EnumerateFiles(models, TeaCacheCoefficients.FileName, SearchOption.AllDirectories).Any());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> args, string tinyModelCache)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(SiloBinary.Path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloBinary.Path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Mova__Execution__Mova__TinyModelCache"] = tinyModelCache;
        start.Environment["Mova__Execution__Mova__MaxPromptTokens"] = "32";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
