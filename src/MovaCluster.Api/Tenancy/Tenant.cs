namespace MovaCluster.Api.Tenancy;

/// <summary>A customer of the API (or the operator), as its API keys resolve to it.</summary>
public sealed record Tenant
{
    /// <summary>Tenant id: 1-64 characters from a-z, A-Z, 0-9, '-' and '_'.</summary>
    public required string Id { get; init; }

    public TenantQuotas Quotas { get; init; } = new();

    /// <summary>Operator tenants may call the admin endpoints.</summary>
    public bool IsOperator { get; init; }

    /// <summary>Secret that signs this tenant's webhooks (HMAC-SHA256).</summary>
    public required string WebhookSecret { get; init; }
}
