using Microsoft.Extensions.Diagnostics.HealthChecks;
using MovaCluster.Media;

namespace MovaCluster.Silo.Hosting;

/// <summary>
/// Unhealthy while ffmpeg or ffprobe cannot be run (every clip is muxed with them), naming what is missing and how to
/// get it. /health is polled far more often than the tools change, and starting two processes on a loaded node can
/// take seconds: only the first check waits for them; later ones answer with the last report at once and, when it is
/// older than <see cref="RecheckAfter"/>, start one recheck in the background (so a broken tool shows one poll later).
/// One instance per host (registered as a singleton), or nothing would be remembered between polls.
/// </summary>
public sealed class FfmpegHealthCheck(FfmpegToolchain toolchain, TimeProvider time) : IHealthCheck, IDisposable
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _firstCheck = new(1, 1);
    private CheckedReport? _last;
    private int _rechecking;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = Volatile.Read(ref _last) is { } last ? Recent(last) : await FirstAsync(cancellationToken).ConfigureAwait(false);
        return report.Usable
            ? HealthCheckResult.Healthy($"ffmpeg {report.FfmpegVersion}, ffprobe {report.FfprobeVersion}")
            : HealthCheckResult.Unhealthy(string.Join(" ", report.Problems));
    }

    public void Dispose() => _firstCheck.Dispose();

    private async Task<FfmpegToolchainReport> FirstAsync(CancellationToken cancellationToken)
    {
        await _firstCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _last) is not { } last)
            {
                last = new CheckedReport(await toolchain.CheckAsync(cancellationToken).ConfigureAwait(false), time.GetUtcNow());
                Volatile.Write(ref _last, last);
            }

            return last.Report;
        }
        finally
        {
            _firstCheck.Release();
        }
    }

    private FfmpegToolchainReport Recent(CheckedReport last)
    {
        if (time.GetUtcNow() - last.At >= RecheckAfter && Interlocked.CompareExchange(ref _rechecking, 1, 0) == 0)
        {
            _ = RecheckAsync();
        }

        return last.Report;
    }

    private async Task RecheckAsync()
    {
        try
        {
            Volatile.Write(ref _last, new CheckedReport(await toolchain.CheckAsync(CancellationToken.None).ConfigureAwait(false), time.GetUtcNow()));
        }
        finally
        {
            Volatile.Write(ref _rechecking, 0);
        }
    }

    private sealed record CheckedReport(FfmpegToolchainReport Report, DateTimeOffset At);
}
