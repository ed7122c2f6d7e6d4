namespace MovaCluster.Silo.Tests;

/// <summary>A probe grain: tells which silo answered, to see placement across a test cluster.</summary>
[Alias("MovaCluster.Silo.Tests.IEchoGrain")]
public interface IEchoGrain : IGrainWithStringKey
{
    Task<string> EchoAsync(string message);
}
