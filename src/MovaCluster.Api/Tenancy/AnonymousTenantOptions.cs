namespace MovaCluster.Api.Tenancy;

/// <summary>
/// A tenant for requests that carry no API key at all, for clients that cannot send one (MOVA's own workflow client
/// sends no Authorization header). Off by default in every mode; turn it on only where anyone who can reach the
/// gateway may generate videos. Every keyless client shares this one tenant: its quotas, its rate limit and its
/// videos (they can list, download and delete each other's). A wrong key is still refused; operator endpoints always
/// need an operator key.
/// </summary>
public sealed class AnonymousTenantOptions
{
    /// <summary>Serve keyless requests as the anonymous tenant. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Its tenant id; keep it distinct from every real tenant's. Default <c>anonymous</c>.</summary>
    public string TenantId { get; set; } = "anonymous";

    /// <summary>
    /// Secret that signs its webhooks. Empty (the default): a random one per gateway process, which is enough for one
    /// gateway; set the same value on every gateway when several serve keyless clients that use webhooks.
    /// </summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Its quotas, tighter than a keyed tenant's by default: 1 running, 10 queued, 600 s of video a day, 10 req/s (burst 20).</summary>
    public TenantQuotas Quotas { get; set; } = new()
    {
        MaxRunningJobs = 1, MaxQueuedJobs = 10, VideoSecondsPerDay = 600, RequestsPerSecond = 10, RequestBurst = 20,
    };
}
