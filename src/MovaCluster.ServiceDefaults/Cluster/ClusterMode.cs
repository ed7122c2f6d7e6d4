namespace MovaCluster.ServiceDefaults.Cluster;

public enum ClusterMode
{
    /// <summary>One process: localhost clustering, in-memory grain storage and streams.</summary>
    Embedded,

    /// <summary>Several silos: Redis membership and Redis grain storage.</summary>
    Redis,
}
