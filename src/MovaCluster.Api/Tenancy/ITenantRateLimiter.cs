namespace MovaCluster.Api.Tenancy;

/// <summary>The per-tenant request rate limit: a token bucket of <see cref="TenantQuotas.RequestBurst"/> tokens refilled at <see cref="TenantQuotas.RequestsPerSecond"/>.</summary>
public interface ITenantRateLimiter
{
    /// <summary>Null when the request may proceed (one token taken), otherwise how long to wait before retrying.</summary>
    ValueTask<TimeSpan?> TryAcquireAsync(Tenant tenant, CancellationToken cancellationToken);
}
