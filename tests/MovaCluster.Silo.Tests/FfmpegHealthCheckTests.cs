using System.Runtime.Versioning;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MovaCluster.Media;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;

namespace MovaCluster.Silo.Tests;

/// <summary>
/// /health is polled every few seconds and must answer at once even on a loaded node: the ffmpeg check runs the tools
/// once, then answers from its last report and rechecks in the background. The tools here are scripts that count their
/// runs and hand over to the real ffmpeg and ffprobe.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FfmpegHealthCheckTests : IDisposable
{
    private readonly string _tools = Directory.CreateTempSubdirectory("mova-ffmpeg-count-").FullName;

    public FfmpegHealthCheckTests()
    {
        Counting("ffmpeg", FfmpegTools.Ffmpeg);
        Counting("ffprobe", FfmpegTools.Ffprobe);
    }

    [Fact]
    public async Task Polls_within_the_recheck_interval_run_no_tool_and_a_broken_tool_shows_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var check = new FfmpegHealthCheck(new FfmpegToolchain(new FfmpegBinaries(Options.Create(new MediaOptions { FfmpegFolder = _tools }))), time);

        Assert.Equal(HealthStatus.Healthy, (await PollAsync(check)).Status);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HealthStatus.Healthy, (await PollAsync(check)).Status);
        }

        Assert.Equal(1, Runs("ffmpeg"));
        Assert.Equal(1, Runs("ffprobe"));

        File.WriteAllText(Path.Combine(_tools, "ffprobe"), "#!/bin/sh\nexit 3\n");
        time.Advance(FfmpegHealthCheck.RecheckAfter);
        // The poll that finds the report old answers with it and starts the recheck; a later poll sees the result.
        Assert.Equal(HealthStatus.Healthy, (await PollAsync(check)).Status);
        var broken = await Eventually.HoldsAsync(() => PollAsync(check), result => result.Status == HealthStatus.Unhealthy,
            TimeSpan.FromSeconds(30), "the recheck to find the broken ffprobe");
        Assert.Contains("ffprobe does not work", broken.Description, StringComparison.Ordinal);
        Assert.Equal(2, Runs("ffmpeg"));
    }

    [Fact]
    public async Task The_silos_health_endpoint_reuses_one_check_so_repeated_polls_run_the_tools_once()
    {
        using var factory = new EmbeddedSiloFactory()
            .With("Mova:Media:FfmpegFolder", _tools)
            .With("Mova:Execution:Executor", "Synthetic");
        using var client = factory.CreateClient();
        using (await client.GetAsync("/health"))
        {
        }

        var before = Runs("ffmpeg");
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/health");
            Assert.Contains("\"ffmpeg\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // At most one recheck if the ten seconds ran out during the polls; one run per poll without the shared check.
        Assert.InRange(Runs("ffmpeg") - before, 0, 1);
    }

    public void Dispose() => Directory.Delete(_tools, recursive: true);

    private static Task<HealthCheckResult> PollAsync(FfmpegHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("ffmpeg", check, null, null) });

    private void Counting(string tool, string real)
    {
        var path = Path.Combine(_tools, tool);
        File.WriteAllText(path, $"#!/bin/sh\necho run >> '{path}.runs'\nexec '{real}' \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private int Runs(string tool)
    {
        var log = Path.Combine(_tools, tool + ".runs");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }
}
