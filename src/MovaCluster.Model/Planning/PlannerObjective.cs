namespace MovaCluster.Model.Planning;

public enum PlannerObjective
{
    /// <summary>Most jobs per hour across the cluster (ties: lower latency).</summary>
    Throughput,

    /// <summary>Lowest latency of one job (ties: more jobs per hour).</summary>
    Latency,
}
