using System.Globalization;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Models;
using MovaCluster.Api.Tenancy;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Api.Waiting;

/// <summary>
/// Ends the waits that ran out (<see cref="GatewayOptions.WorkerWait"/>): a video whose model still has no live worker
/// with room for it at its deadline fails with <c>no_worker_available</c> and its seconds go back to its tenant; one
/// whose model is served by then is only waiting its turn, and is looked at again a wait later. The job grain decides
/// (<see cref="IJobGrain.ExpireWaitAsync"/>): a job that started meanwhile is left alone, and only the call that failed
/// the job refunds it, so each video is refunded at most once.
/// </summary>
public sealed partial class WorkerWaitSweeper(
    IClusterClient cluster,
    IWorkerWaitList waits,
    ModelAvailability availability,
    IUsageLedger usage,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<WorkerWaitSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long an entry whose job could not be reached waits before the next try.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public const int ClaimBatch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway stops; entries stay listed for the others.
        }
    }

    /// <summary>Ends every wait due now (also called directly by tests).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<WorkerWait> due;
        do
        {
            try
            {
                due = await waits.ClaimDueAsync(time.GetUtcNow(), ClaimBatch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                LogListFailed(failure);
                return;
            }

            foreach (var wait in due)
            {
                await EndAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
        while (due.Count == ClaimBatch);
    }

    private async Task EndAsync(WorkerWait wait, CancellationToken cancellationToken)
    {
        try
        {
            if (await availability.ServesAsync(wait.Model, wait.Volume).ConfigureAwait(false))
            {
                var job = await cluster.GetGrain<IJobGrain>(wait.VideoId).GetAsync().ConfigureAwait(false);
                if (job is { Status: JobStatus.Queued, Attempt: 0 })
                {
                    await waits.AddAsync(wait with { Until = time.GetUtcNow() + options.Value.WorkerWait }, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            var error = string.Create(CultureInfo.InvariantCulture,
                $"No worker serving {wait.Model} with room for this video was live for {options.Value.WorkerWait} (the wait the gateway allows); the video never ran and its seconds were given back.");
            if (!await cluster.GetGrain<IJobGrain>(wait.VideoId).ExpireWaitAsync(error).ConfigureAwait(false))
            {
                return;
            }
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            LogEndFailed(failure, wait.VideoId);
            try
            {
                await waits.AddAsync(wait with { Until = time.GetUtcNow() + RetryAfter }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception again)
            {
                LogListFailed(again);
            }

            return;
        }

        try
        {
            await usage.ReleaseAsync(wait.TenantId, wait.Seconds, CancellationToken.None).ConfigureAwait(false);
            LogExpired(wait.VideoId, wait.TenantId, wait.Model);
        }
        catch (Exception failure)
        {
            LogRefundFailed(failure, wait.VideoId, wait.TenantId, wait.Seconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} of tenant {TenantId} failed: no worker serving {Model} came within its wait; refunded")]
    private partial void LogExpired(string videoId, string tenantId, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video {VideoId} failed without running but its {Seconds} s could not be given back to tenant {TenantId}")]
    private partial void LogRefundFailed(Exception failure, string videoId, string tenantId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not end the wait of video {VideoId}; trying again shortly")]
    private partial void LogEndFailed(Exception failure, string videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worker wait list could not be read or updated; the next sweep tries again")]
    private partial void LogListFailed(Exception failure);
}
