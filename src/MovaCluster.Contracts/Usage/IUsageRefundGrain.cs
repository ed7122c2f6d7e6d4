namespace MovaCluster.Contracts.Usage;

/// <summary>
/// The cluster's durable list of refunds owed (one per cluster, key <see cref="DefaultKey"/>). Job grains add to it
/// when a job ends before its first step; gateways, which keep the usage ledger, claim refunds, apply them (once per
/// job, whichever gateway does it) and settle them. A claim that is not settled is handed out again after its lease.
/// </summary>
[Alias("MovaCluster.IUsageRefundGrain")]
public interface IUsageRefundGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    /// <summary>Records a refund; idempotent per job id.</summary>
    [Alias("Owe")]
    Task OweAsync(UsageRefund refund);

    /// <summary>Up to <paramref name="max"/> refunds not claimed by anyone in the last <paramref name="lease"/>.</summary>
    [Alias("Claim")]
    Task<IReadOnlyList<UsageRefund>> ClaimAsync(int max, TimeSpan lease);

    /// <summary>The refunds of these jobs were applied; they are forgotten.</summary>
    [Alias("Settle")]
    Task SettleAsync(IReadOnlyList<string> jobIds);
}
