using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// One token bucket per tenant in this process: the limit of the embedded single-process deployment, and the
/// fallback of <see cref="RedisTenantRateLimiter"/> while Redis cannot be reached.
/// </summary>
public sealed class InMemoryTenantRateLimiter : ITenantRateLimiter, IDisposable
{
    private readonly ConcurrentDictionary<string, (TenantQuotas Quotas, TokenBucketRateLimiter Bucket)> _buckets = new(StringComparer.Ordinal);

    public ValueTask<TimeSpan?> TryAcquireAsync(Tenant tenant, CancellationToken cancellationToken) => ValueTask.FromResult(TryAcquire(tenant));

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
