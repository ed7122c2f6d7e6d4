namespace MovaCluster.Model.Tests.Support;

/// <summary>Tests that measure process-wide state (RSS) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
