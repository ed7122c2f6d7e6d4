namespace MovaCluster.Api.Tenancy;

/// <summary>Tenants and the hashes of their API keys.</summary>
public interface ITenantStore
{
    /// <summary>The tenant an API key hash belongs to, or null for an unknown or revoked key.</summary>
    Task<Tenant?> FindByKeyHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a tenant.</summary>
    Task SaveAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Adds a key (by its hash) to an existing tenant.</summary>
    Task AddKeyAsync(string tenantId, string keyHash, CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when no such key exists.</summary>
    Task<bool> RevokeKeyAsync(string keyHash, CancellationToken cancellationToken);
}
