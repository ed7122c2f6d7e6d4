namespace MovaCluster.Api.Webhooks;

/// <summary>
/// Webhook delivery settings. By default a webhook URL must be https, without credentials, and resolve only to public
/// addresses: loopback, link-local (cloud metadata at 169.254.169.254), private, shared (100.64/10), multicast,
/// reserved and the gateway's own addresses are refused, at create and again at every delivery and redirect.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Also accept plain http:// URLs (e.g. receivers inside the cluster network). Default false.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Receivers the address rules do not apply to: host names (exact, case-insensitive; the names' resolved addresses
    /// are then allowed whatever they are), IP addresses and CIDR ranges (addresses in them are allowed for any host).
    /// For receivers on internal networks. Default none.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Redirects a delivery follows (each target checked like the URL itself; the signed POST is repeated). Default 3.</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>How long resolving a webhook host may take at create before the create is refused. Default 5 s.</summary>
    public TimeSpan ResolveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deliveries tried per event, the first included. Default 6.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait before the first retry; doubled for each later one (with jitter). Default 2 s.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between retries. Default 5 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one delivery attempt. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once, per gateway. Default 8.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>How often a gateway looks for due deliveries when nothing woke it (retries, other gateways' work). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claimed delivery stays with the gateway that claimed it; if that gateway dies, others send it after
    /// this. Must exceed <see cref="AttemptTimeout"/>. Default 1 min.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a gateway keeps a video it follows for its webhook without renewing (it renews every third of this);
    /// when a gateway stops or dies, another takes its videos over after at most this. Default 30 s.
    /// </summary>
    public TimeSpan WatchLease { get; set; } = TimeSpan.FromSeconds(30);
}
