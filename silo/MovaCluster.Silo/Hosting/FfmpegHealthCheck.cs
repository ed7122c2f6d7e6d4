using Microsoft.Extensions.Diagnostics.HealthChecks;
using MovaCluster.Media;

namespace MovaCluster.Silo.Hosting;

/// <summary>
/// Unhealthy while ffmpeg or ffprobe cannot be run (every clip is muxed with them), naming what is missing and how to
/// get it. The tools are checked at most every <see cref="RecheckAfter"/>; /health is polled far more often.
/// </summary>
public sealed class FfmpegHealthCheck(FfmpegToolchain toolchain, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private (FfmpegToolchainReport Report, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await ReportAsync(cancellationToken).ConfigureAwait(false);
        return report.Usable
            ? HealthCheckResult.Healthy($"ffmpeg {report.FfmpegVersion}, ffprobe {report.FfprobeVersion}")
            : HealthCheckResult.Unhealthy(string.Join(" ", report.Problems));
    }

    private async Task<FfmpegToolchainReport> ReportAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is not { } last || time.GetUtcNow() - last.At >= RecheckAfter)
            {
                _last = last = (await toolchain.CheckAsync(cancellationToken).ConfigureAwait(false), time.GetUtcNow());
            }

            return last.Report;
        }
        finally
        {
            _checking.Release();
        }
    }
}
