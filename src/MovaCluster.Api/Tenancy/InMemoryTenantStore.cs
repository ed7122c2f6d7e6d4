using System.Collections.Concurrent;

namespace MovaCluster.Api.Tenancy;

/// <summary>Tenants and key hashes in this process: the embedded single-process deployment.</summary>
public sealed class InMemoryTenantStore : ITenantStore
{
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public Task<Tenant?> FindByKeyHashAsync(string keyHash, CancellationToken cancellationToken) =>
        Task.FromResult(_keys.TryGetValue(keyHash, out var tenantId) && _tenants.TryGetValue(tenantId, out var tenant) ? tenant : null);

    public Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(_tenants.TryGetValue(tenantId, out var tenant) ? tenant : null);

    public Task SaveAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        _tenants[tenant.Id] = tenant;
        return Task.CompletedTask;
    }

    public Task AddKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken)
    {
        if (!_tenants.ContainsKey(tenantId))
        {
            throw new InvalidOperationException($"Tenant '{tenantId}' does not exist; create it before adding keys.");
        }

        _keys[keyHash] = tenantId;
        return Task.CompletedTask;
    }

    public Task<bool> RevokeKeyAsync(string keyHash, CancellationToken cancellationToken) => Task.FromResult(_keys.TryRemove(keyHash, out _));
}
