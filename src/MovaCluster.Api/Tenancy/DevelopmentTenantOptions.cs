namespace MovaCluster.Api.Tenancy;

/// <summary>
/// The tenant and keys the in-memory key store starts with (only when no Redis is configured, i.e. the embedded
/// single-process default). Never use these values on a reachable host.
/// </summary>
public sealed class DevelopmentTenantOptions
{
    /// <summary>Seed the development tenant and the operator key. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tenant id of the development tenant. Default <c>dev</c>.</summary>
    public string TenantId { get; set; } = "dev";

    /// <summary>API key of the development tenant. Default <c>mova-dev-key</c>.</summary>
    public string ApiKey { get; set; } = "mova-dev-key";

    /// <summary>API key of the operator (admin endpoints). Default <c>mova-dev-operator-key</c>.</summary>
    public string OperatorApiKey { get; set; } = "mova-dev-operator-key";

    /// <summary>Webhook signing secret of the development tenant. Default <c>mova-dev-webhook-secret</c>.</summary>
    public string WebhookSecret { get; set; } = "mova-dev-webhook-secret";

    /// <summary>Quotas of the development tenant (generous: it is the local default). Default 1,000 req/s, burst 2,000.</summary>
    public TenantQuotas Quotas { get; set; } = new()
    {
        MaxRunningJobs = 4, MaxQueuedJobs = 100, VideoSecondsPerDay = 86_400, RequestsPerSecond = 1000, RequestBurst = 2000,
    };
}
