namespace MovaCluster.Silo.Tests;

/// <summary>Tests that set the process's POD_* variables run alone, never beside another test of this assembly.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PodEnvironmentCollection
{
    public const string Name = "Pod environment variables";
}
