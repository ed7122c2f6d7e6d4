using MovaCluster.Contracts.Usage;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// Gives back the charge of every video whose job ended before its first denoising step: claims the refunds the job
/// grains recorded (<see cref="IUsageRefundGrain"/>), applies each to the usage ledger (once per video, whichever
/// gateway gets there) and settles them. Every gateway runs one; a refund claimed by a gateway that dies is claimed
/// again after <see cref="ClaimLease"/>.
/// </summary>
public sealed partial class UsageRefunder(IClusterClient cluster, IUsageLedger usage, ILogger<UsageRefunder> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(30);
    public const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    while (await RefundBatchAsync(stoppingToken).ConfigureAwait(false) == Batch)
                    {
                    }
                }
                catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
                {
                    // The cluster or the ledger is unreachable for now; the refunds wait in the cluster's list.
                    LogRefundsDelayed(failure);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> RefundBatchAsync(CancellationToken stoppingToken)
    {
        var refunds = cluster.GetGrain<IUsageRefundGrain>(IUsageRefundGrain.DefaultKey);
        var owed = await refunds.ClaimAsync(Batch, ClaimLease).ConfigureAwait(false);
        if (owed.Count == 0)
        {
            return 0;
        }

        foreach (var refund in owed)
        {
            await usage.RefundAsync(refund.TenantId, refund.JobId, refund.Seconds, DateOnly.FromDateTime(refund.ChargedOn.UtcDateTime), stoppingToken)
                .ConfigureAwait(false);
            LogRefunded(refund.JobId, refund.TenantId, refund.Seconds, refund.Reason);
        }

        await refunds.SettleAsync([.. owed.Select(refund => refund.JobId)]).ConfigureAwait(false);
        return owed.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} ended ({Reason}) before its first step: {Seconds} s given back to tenant {TenantId}")]
    private partial void LogRefunded(string videoId, string tenantId, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refunds for videos that never ran could not be applied now; they stay owed and are retried")]
    private partial void LogRefundsDelayed(Exception failure);
}
