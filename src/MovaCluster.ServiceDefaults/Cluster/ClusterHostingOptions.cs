namespace MovaCluster.ServiceDefaults.Cluster;

/// <summary>How this silo joins a cluster. Bound from the <c>Mova:Cluster</c> configuration section.</summary>
public sealed class ClusterHostingOptions
{
    public const string SectionName = "Mova:Cluster";

    /// <summary>Embedded (default) runs everything in this process; Redis joins a multi-node cluster.</summary>
    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    /// <summary>StackExchange.Redis configuration string; required in Redis mode (e.g. <c>redis:6379</c>).</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Orleans cluster id; silos and gateways with the same id form one cluster. Default <c>mova</c>.</summary>
    public string ClusterId { get; set; } = "mova";

    /// <summary>Orleans service id; stable across deployments because grain state is keyed by it. Default <c>mova-cluster</c>.</summary>
    public string ServiceId { get; set; } = "mova-cluster";

    /// <summary>Silo-to-silo port in Redis mode. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (the gateway) connect to in Redis mode. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// True when the silo runs as a Kubernetes pod (Redis mode only; the Helm chart sets it): the silo takes its name
    /// from <c>POD_NAME</c> and advertises <c>POD_IP</c> (downward API), and watches its namespace's pods so a silo
    /// whose pod is deleted is declared dead at once and the pod of a silo declared dead is deleted. Needs get, list,
    /// watch, patch and delete on pods. Default false.
    /// </summary>
    public bool KubernetesHosting { get; set; }
}
