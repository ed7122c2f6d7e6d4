using MovaCluster.Api.Errors;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// In front of every API endpoint: authenticates the key (401; a request without any key acts as the anonymous tenant
/// when one is configured, never on operator endpoints), applies the tenant's rate limit (429 with Retry-After) and,
/// for admin endpoints, requires an operator (403). The tenant is then in <see cref="TenantContext"/>.
/// </summary>
public sealed class TenantGateFilter(TenantAuthenticator authenticator, ITenantRateLimiter limiter, bool operatorOnly, AnonymousTenant? anonymous = null) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var apiKey = TenantAuthenticator.ReadApiKey(http.Request);
        var keyless = string.IsNullOrEmpty(apiKey) && !operatorOnly ? anonymous?.Tenant : null;
        if (string.IsNullOrEmpty(apiKey) && keyless is null)
        {
            return ApiError.Unauthorized("No API key: send it as 'Authorization: Bearer <key>'.");
        }

        var tenant = keyless ?? await authenticator.AuthenticateAsync(apiKey!, http.RequestAborted);
        if (tenant is null)
        {
            return ApiError.Unauthorized("The API key is not valid (unknown or revoked).");
        }

        if (operatorOnly && !tenant.IsOperator)
        {
            return ApiError.Forbidden("This endpoint needs an operator key.");
        }

        if (await limiter.TryAcquireAsync(tenant, http.RequestAborted) is { } wait)
        {
            return ApiError.TooManyRequests("rate_limit_exceeded",
                $"Tenant '{tenant.Id}' is limited to {tenant.Quotas.RequestsPerSecond} requests per second (burst {tenant.Quotas.RequestBurst}).", wait);
        }

        TenantContext.Set(http, tenant);
        return await next(context);
    }
}
