extern alias GatewayHost;

using MovaCluster.Testing;

namespace MovaCluster.Gateway.Tests;

public sealed class GatewayHostTests
{
    [Fact]
    public void The_gateway_host_loads_no_model_code_and_no_silo()
    {
        var closure = AssemblyClosure.NamesOf(typeof(GatewayHost::Program).Assembly);

        Assert.Contains("MovaCluster.Api", closure);
        Assert.DoesNotContain(closure, name => name.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("MovaCluster.Model", closure);
        Assert.DoesNotContain("MovaCluster.Silo", closure);
        Assert.DoesNotContain("MovaCluster.Grains", closure);
    }
}
