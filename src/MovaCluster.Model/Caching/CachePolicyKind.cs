namespace MovaCluster.Model.Caching;

/// <summary>How a job chose its cache: not at all, by tier name, or with explicit settings.</summary>
public enum CachePolicyKind
{
    Off,
    Tier,
    Explicit,
}
