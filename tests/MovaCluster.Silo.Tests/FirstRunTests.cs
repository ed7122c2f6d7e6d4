using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests;

/// <summary>
/// What a first run on a bare machine meets: a silo that cannot run ffmpeg stops at start saying what is missing and
/// how to get it; /health reports ffmpeg and the device workers; and when ffmpeg breaks under a running silo, /health
/// says so and a job's error keeps the innermost cause, with no path on the worker's disk. The tools are the real
/// ffmpeg and ffprobe (linked into a folder named by Mova:Media:FfmpegFolder) or, to break them, files that cannot run.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class FirstRunTests : IDisposable
{
    private readonly string _tools = Directory.CreateTempSubdirectory("mova-ffmpeg-").FullName;

    [Fact]
    public void A_silo_whose_ffmpeg_cannot_run_stops_at_start_naming_it_and_how_to_get_it()
    {
        Unrunnable("ffmpeg");
        Unrunnable("ffprobe");
        using var factory = Silo();

        var failure = Assert.ThrowsAny<Exception>(() => factory.Server);

        var message = failure.ToString();
        Assert.Contains("This silo cannot host device workers", message, StringComparison.Ordinal);
        Assert.Contains("ffmpeg is missing or cannot be run", message, StringComparison.Ordinal);
        Assert.Contains("ffprobe is missing or cannot be run", message, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install ffmpeg", message, StringComparison.Ordinal);
        Assert.Contains("Mova:Media:FfmpegFolder", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_the_tools_and_workers_and_a_job_failing_at_the_mux_keeps_its_cause_without_paths()
    {
        File.CreateSymbolicLink(Path.Combine(_tools, "ffmpeg"), FfmpegTools.Ffmpeg);
        File.CreateSymbolicLink(Path.Combine(_tools, "ffprobe"), FfmpegTools.Ffprobe);
        await using var factory = Silo();
        using var client = factory.CreateClient();

        var healthy = await Eventually.HoldsAsync(() => HealthAsync(client), health => health.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(90), "/health to be healthy");
        var checks = healthy.GetProperty("checks");
        Assert.StartsWith("ffmpeg 5.", checks.GetProperty("ffmpeg").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("cpu: ready, serving synthetic (no model; synthetic output)", checks.GetProperty("device-workers").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("orleans-silo").GetProperty("status").GetString());

        File.Delete(Path.Combine(_tools, "ffmpeg"));
        Unrunnable("ffmpeg");
        var job = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IJobGrain>($"first-run-{Guid.NewGuid():N}");
        await job.SubmitAsync(new JobSubmission
        {
            TenantId = "first-run",
            Request = new GenerationRequest { Prompt = "a lantern on a pier", Width = 64, Height = 48, FrameCount = 9, FramesPerSecond = 8, Steps = 2 },
        });
        var failed = await Eventually.HoldsAsync(() => job.GetAsync(), snapshot => snapshot.Status is JobStatus.Failed or JobStatus.Completed, TimeSpan.FromSeconds(60), "the job to end");
        var unhealthy = await Eventually.HoldsAsync(() => HealthAsync(client), health => health.GetProperty("status").GetString() == "Unhealthy", TimeSpan.FromSeconds(30), "/health to see the broken ffmpeg");

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("generation_failed", failed.ErrorCode);
        Assert.Contains("Permission denied", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_tools, failed.Error, StringComparison.Ordinal);
        Assert.False(AbsolutePath().IsMatch(failed.Error!), $"The job's error shows a path on the worker: {failed.Error}");
        var ffmpeg = unhealthy.GetProperty("checks").GetProperty("ffmpeg");
        Assert.Equal("Unhealthy", ffmpeg.GetProperty("status").GetString());
        Assert.Contains("sudo apt-get install ffmpeg", ffmpeg.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_tools, recursive: true);

    private EmbeddedSiloFactory Silo() => new EmbeddedSiloFactory()
        .With("Mova:Media:FfmpegFolder", _tools)
        .With("Mova:Execution:Executor", "Synthetic");

    /// <summary>A file where the tool should be that cannot be executed, as a broken install leaves it.</summary>
    private void Unrunnable(string tool)
    {
        var path = Path.Combine(_tools, tool);
        File.WriteAllText(path, "not a program");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [GeneratedRegex(@"(^|[\s'""(=])/[\w.+-]+/")]
    private static partial Regex AbsolutePath();
}
