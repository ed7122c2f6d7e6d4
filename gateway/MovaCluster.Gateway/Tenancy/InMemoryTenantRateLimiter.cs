using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace MovaCluster.Gateway.Tenancy;

/// <summary>One token bucket per tenant (per gateway process), sized by the tenant's quotas.</summary>
public sealed class TenantRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, (TenantQuotas Quotas, TokenBucketRateLimiter Bucket)> _buckets = new(StringComparer.Ordinal);

    /// <summary>Null when the request may proceed, otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var entry = _buckets.AddOrUpdate(
            tenant.Id,
            static (_, quotas) => (quotas, Create(quotas)),
            static (_, existing, quotas) => existing.Quotas == quotas ? existing : (quotas, Create(quotas)),
            tenant.Quotas);
        using var lease = entry.Bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        foreach (var (_, bucket) in _buckets.Values)
        {
            bucket.Dispose();
        }
    }

    private static TokenBucketRateLimiter Create(TenantQuotas quotas) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, quotas.RequestBurst),
        TokensPerPeriod = Math.Max(1, quotas.RequestsPerSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}
