namespace MovaCluster.Contracts.Planning;

/// <summary>Holds the cluster's active execution plan (key 0). Silos publish it at start; the gateway reads it.</summary>
[Alias("MovaCluster.IClusterPlanGrain")]
public interface IClusterPlanGrain : IGrainWithIntegerKey
{
    [Alias("Publish")]
    Task PublishAsync(ClusterPlanView plan);

    /// <summary>The latest published plan, or null before any silo has planned.</summary>
    [Alias("Get")]
    Task<ClusterPlanView?> GetAsync();
}
