using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Admin;

/// <summary>Body of <c>PUT /admin/tenants/{id}</c>; omitted values keep the defaults.</summary>
public sealed record TenantUpsert
{
    public TenantQuotas? Quotas { get; init; }

    public string? WebhookSecret { get; init; }

    public bool IsOperator { get; init; }
}
