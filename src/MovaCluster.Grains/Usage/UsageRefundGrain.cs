using MovaCluster.Contracts;
using MovaCluster.Contracts.Usage;

namespace MovaCluster.Grains.Usage;

/// <summary>
/// Refunds owed until a gateway settles them: written before they are acknowledged, so none is lost with a silo.
/// Claims live in memory only: after a reactivation every refund is claimable again, and the gateway ledger applies
/// each job's refund once whatever the number of claims.
/// </summary>
internal sealed class UsageRefundGrain(
    [PersistentState("usage-refunds", StorageNames.Queue)] IPersistentState<UsageRefundState> state,
    TimeProvider time) : Grain, IUsageRefundGrain
{
    private readonly Dictionary<string, DateTimeOffset> _claimedUntil = new(StringComparer.Ordinal);

    public async Task OweAsync(UsageRefund refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        if (state.State.Owed.TryAdd(refund.JobId, refund))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<UsageRefund>> ClaimAsync(int max, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        var claimed = state.State.Owed.Values
            .Where(refund => !_claimedUntil.TryGetValue(refund.JobId, out var until) || until <= now)
            .Take(Math.Max(0, max))
            .ToList();
        foreach (var refund in claimed)
        {
            _claimedUntil[refund.JobId] = now + lease;
        }

        return Task.FromResult<IReadOnlyList<UsageRefund>>(claimed);
    }

    public async Task SettleAsync(IReadOnlyList<string> jobIds)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var changed = false;
        foreach (var jobId in jobIds)
        {
            changed |= state.State.Owed.Remove(jobId);
            _claimedUntil.Remove(jobId);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }
}
