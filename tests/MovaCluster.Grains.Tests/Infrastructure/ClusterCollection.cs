namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Cluster tests run one class at a time: their timing should not depend on other clusters sharing two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
