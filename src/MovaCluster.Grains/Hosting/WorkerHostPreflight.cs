using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Execution;
using MovaCluster.Execution.Planned;
using MovaCluster.Media;
using MovaCluster.Media.Imaging;

namespace MovaCluster.Grains.Hosting;

/// <summary>
/// Runs before the silo starts (a lifecycle service registered ahead of Orleans, whose silo starts in the hosts'
/// "starting" phase): checks that this machine has what a silo hosting device workers needs (ffmpeg and ffprobe, SkiaSharp's encoders, a writable temp folder, TorchSharp's native libraries and
/// the configured CUDA devices, the tiny model's cache folder) and stops the host at once with every missing piece
/// named and how to get it, instead of reporting healthy and failing the first job.
/// </summary>
internal sealed partial class WorkerHostPreflight(
    FfmpegToolchain ffmpeg,
    IOptions<ExecutionOptions> execution,
    IOptions<PlannedExecutionOptions> planned,
    ILogger<WorkerHostPreflight> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var tools = await ffmpeg.CheckAsync(cancellationToken).ConfigureAwait(false);
        problems.AddRange(tools.Problems);
        if (ImageCodecCheck.Problem() is { } imaging)
        {
            problems.Add(imaging);
        }

        if (ExecutionPreflight.FolderProblem(Path.GetTempPath()) is { } temp)
        {
            problems.Add($"The temp folder {temp}: clips are muxed there before upload; set TMPDIR to a writable folder.");
        }

        problems.AddRange(ExecutionPreflight.Check(execution.Value, planned.Value));
        if (problems.Count > 0)
        {
            var message = "This silo cannot host device workers:" + string.Concat(problems.Select(problem => Environment.NewLine + "  - " + problem));
            LogPreflightFailed(message);
            throw new WorkerHostPreflightException(message);
        }

        LogPreflightPassed(tools.FfmpegVersion ?? "?", tools.FfprobeVersion ?? "?");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6701, Level = LogLevel.Critical, Message = "{Message}")]
    private partial void LogPreflightFailed(string message);

    [LoggerMessage(EventId = 6702, Level = LogLevel.Information, Message = "Worker host checks passed: ffmpeg {FfmpegVersion}, ffprobe {FfprobeVersion}, image encoders, temp folder, executor runtime")]
    private partial void LogPreflightPassed(string ffmpegVersion, string ffprobeVersion);
}
