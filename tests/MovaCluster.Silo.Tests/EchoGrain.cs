namespace MovaCluster.Silo.Tests;

public sealed class EchoGrain(ILocalSiloDetails silo) : Grain, IEchoGrain
{
    public Task<string> EchoAsync(string message) => Task.FromResult($"{message} from {silo.SiloAddress}");
}
