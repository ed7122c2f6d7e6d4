using MovaCluster.Api.Tenancy;
using MovaCluster.Testing;
using StackExchange.Redis;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// Gateway hosts that share one redis-server (keys, index, usage, rate limits, webhook outbox), as several gateway
/// replicas do; each is its own process-like host (its own embedded silo). Tenants are put straight into Redis.
/// </summary>
public sealed class RedisGateways(RedisFixture redis) : IAsyncDisposable
{
    private readonly List<GatewayFactory> _hosts = [];
    private ConnectionMultiplexer? _connection;

    /// <summary>A new gateway host on the shared Redis.</summary>
    public GatewayFactory StartHost(Action<GatewayFactory>? configure = null)
    {
        var host = new GatewayFactory().With("Mova:Gateway:RedisConnectionString", redis.ConnectionString);
        configure?.Invoke(host);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops and disposes a host, as a gateway replica that goes away.</summary>
    public async Task StopHostAsync(GatewayFactory host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    /// <summary>A connection to the shared Redis, for looking at what the gateways stored.</summary>
    public async Task<IDatabase> DatabaseAsync()
    {
        _connection ??= await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        return _connection.GetDatabase();
    }

    /// <summary>A new tenant with one API key, stored in the shared Redis; returns its id and the key.</summary>
    public async Task<(string TenantId, string ApiKey)> NewTenantAsync(string name, TenantQuotas quotas, string webhookSecret = "whsec_shared")
    {
        var store = new RedisTenantStore((await DatabaseAsync()).Multiplexer);
        var tenantId = $"{name}-{Guid.NewGuid():N}";
        var key = ApiKeyHasher.NewKey();
        await store.SaveAsync(new Tenant { Id = tenantId, Quotas = quotas, WebhookSecret = webhookSecret }, CancellationToken.None);
        await store.AddKeyAsync(tenantId, ApiKeyHasher.Hash(key), CancellationToken.None);
        return (tenantId, key);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
