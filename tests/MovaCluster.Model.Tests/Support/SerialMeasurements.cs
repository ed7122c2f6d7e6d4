namespace MovaCluster.Model.Tests.Support;

/// <summary>Tests that read process-wide memory run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialMeasurements
{
    public const string Name = "Serial measurements";
}
