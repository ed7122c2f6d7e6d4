using System.Collections.Concurrent;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// Resolves the API key of a request (Authorization: Bearer, X-API-Key, or for WebSocket handshakes the
/// <c>access_token</c> query value, which browsers need) to its tenant. Lookups are cached for
/// <see cref="CacheLifetime"/>, so a revoked key stops working on every gateway within that time.
/// </summary>
public sealed class TenantAuthenticator(ITenantStore store, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Tenant? Tenant, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public static string? ReadApiKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-API-Key"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        return request.HttpContext.WebSockets.IsWebSocketRequest && request.Query["access_token"].ToString() is { Length: > 0 } token
            ? token
            : null;
    }

    public async Task<Tenant?> AuthenticateAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeyHasher.Hash(apiKey);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Tenant;
        }

        var tenant = await store.FindByKeyHashAsync(hash, cancellationToken).ConfigureAwait(false);
        _cache[hash] = (tenant, now + CacheLifetime);
        return tenant;
    }

    /// <summary>Drops cached lookups (after this gateway changed keys or tenants).</summary>
    public void Forget() => _cache.Clear();
}
