namespace MovaCluster.Silo.Hosting;

/// <summary>What a silo serves over HTTP besides health and metrics (section <see cref="SectionName"/>).</summary>
public sealed class SiloApiOptions
{
    public const string SectionName = "Mova:Silo";

    /// <summary>
    /// Serve the public API (/v1), /admin and the operator dashboard from this silo. Empty (default): yes in Embedded
    /// mode (the single-process deployment), no in Redis mode, where gateways serve them and a silo serves only
    /// /health, /alive, /metrics and the operator-only Orleans dashboard.
    /// </summary>
    public bool? ServeApi { get; set; }
}
