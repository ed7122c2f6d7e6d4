using MovaCluster.Testing;

namespace MovaCluster.Api.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void The_http_surface_reaches_neither_the_model_nor_torchsharp_nor_the_runtime()
    {
        var closure = AssemblyClosure.NamesOf(typeof(Microsoft.Extensions.Hosting.ApiExtensions).Assembly);

        Assert.Contains("MovaCluster.Contracts", closure);
        Assert.DoesNotContain(closure, name => name.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("MovaCluster.Model", closure);
        Assert.DoesNotContain("MovaCluster.Execution", closure);
        Assert.DoesNotContain("MovaCluster.Grains", closure);
    }
}
