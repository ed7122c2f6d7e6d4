using MovaCluster.Api.Models;
using MovaCluster.Api.Tenancy;
using MovaCluster.Api.Webhooks;

namespace MovaCluster.Api.Configuration;

/// <summary>The gateway's settings (section <see cref="SectionName"/>), validated at start.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Mova:Gateway";

    /// <summary>
    /// StackExchange.Redis configuration for API keys, the per-tenant video index, idempotency keys, usage, the
    /// per-tenant rate limits and the webhook outbox, all shared by every gateway. Null (default) keeps them in this
    /// process's memory: right for the embedded single-process deployment only.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Value of the <c>openai-poll-after-ms</c> header on video objects. Default 1,000.</summary>
    public int PollAfterMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long a running or queued video's status and the queue's per-tenant counts may be reused, in ms; 0 disables
    /// the reuse. Default 250 (a quarter of the poll interval the API advertises).
    /// </summary>
    public int StatusCacheMilliseconds { get; set; } = 250;

    /// <summary>Largest create request body in bytes. Default 16 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 16L << 20;

    /// <summary>Largest reference image in bytes. Default 8 MiB.</summary>
    public long MaxImageBytes { get; set; } = 8L << 20;

    /// <summary>Longest prompt or negative prompt in characters. Default 4,000.</summary>
    public int MaxPromptCharacters { get; set; } = 4000;

    /// <summary>
    /// Model used when a request names none. Empty (the default): the first model of <see cref="Models"/> that a live
    /// worker serves, so an unchanged client gets what the cluster actually runs.
    /// </summary>
    public string DefaultModel { get; set; } = "";

    /// <summary>
    /// How long a video may wait for a worker serving its model when none is live at create (scale from zero, workers
    /// still loading): it is accepted and queued with the reason <c>waiting_for_worker</c>, and fails with
    /// <c>no_worker_available</c> (its seconds refunded) if no worker took it by then. Zero (the default) refuses such
    /// creates at once (400 <c>model_not_served</c>, or 422 <c>no_worker_fits</c> when the video is larger than every
    /// live worker of its model accepts).
    /// </summary>
    public TimeSpan WorkerWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// This gateway's public base URL (e.g. <c>https://videos.example.com</c>) for the <c>url</c> of completed videos.
    /// Null (the default): the scheme and host of the request being answered (webhooks then carry no link).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Also name a completed video's link <c>download_url</c> and <c>video_url</c>, for clients that read those fields.
    /// False (the default) because MOVA's own workflow client rewrites any such URL that has a host into
    /// <c>http:///host/...</c> and fails, while without them it downloads from <c>/v1/videos/{id}/download</c>.
    /// </summary>
    public bool DownloadUrlFields { get; set; }

    /// <summary>Requests without an API key, for unchanged clients that send none (off by default).</summary>
    public AnonymousTenantOptions Anonymous { get; set; } = new();

    /// <summary>Offered models by API name. Default: mova-360p, mova-720p, mova-tiny.</summary>
    public Dictionary<string, ModelProfile> Models { get; set; } = ModelCatalog.Defaults();

    /// <summary>Quotas of tenants created without explicit ones.</summary>
    public TenantQuotas DefaultQuotas { get; set; } = new();

    /// <summary>
    /// An operator API key taken from configuration (e.g. a Kubernetes Secret as <c>Mova__Gateway__OperatorApiKey</c>)
    /// and registered, by its hash, in the key store at start: the first operator of a Redis-backed deployment, who
    /// then issues every other key through <c>/admin</c>. Null (default) registers none.
    /// </summary>
    public string? OperatorApiKey { get; set; }

    /// <summary>The development tenant of the in-memory key store.</summary>
    public DevelopmentTenantOptions Development { get; set; } = new();

    /// <summary>How long a finished video's assets are promised to stay (the video object's expires_at). Default 1 day.</summary>
    public TimeSpan AssetLifetime { get; set; } = TimeSpan.FromDays(1);

    public WebhookOptions Webhooks { get; set; } = new();
}
