using System.Text.Json;
using MovaCluster.Api.Json;
using StackExchange.Redis;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// Tenants as JSON under <c>mova:gw:tenant:{id}</c> and keys as <c>mova:gw:key:{sha256}</c> -> tenant id, shared by
/// every gateway of the cluster. Plain keys are never written.
/// </summary>
public sealed class RedisTenantStore(IConnectionMultiplexer redis) : ITenantStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<Tenant?> FindByKeyHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        var tenantId = await Db.StringGetAsync(KeyKey(keyHash)).ConfigureAwait(false);
        return tenantId.IsNullOrEmpty ? null : await GetAsync(tenantId.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(TenantKey(tenantId)).ConfigureAwait(false);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Tenant>(json.ToString(), GatewayJson.Options);
    }

    public Task SaveAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return Db.StringSetAsync(TenantKey(tenant.Id), JsonSerializer.Serialize(tenant, GatewayJson.Options));
    }

    public async Task AddKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken)
    {
        if (!await Db.KeyExistsAsync(TenantKey(tenantId)).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Tenant '{tenantId}' does not exist; create it before adding keys.");
        }

        await Db.StringSetAsync(KeyKey(keyHash), tenantId).ConfigureAwait(false);
    }

    public Task<bool> RevokeKeyAsync(string keyHash, CancellationToken cancellationToken) => Db.KeyDeleteAsync(KeyKey(keyHash));

    private static RedisKey TenantKey(string tenantId) => $"mova:gw:tenant:{tenantId}";

    private static RedisKey KeyKey(string keyHash) => $"mova:gw:key:{keyHash}";
}
