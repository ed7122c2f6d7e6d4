using MovaCluster.Model.Pipeline;
using MovaCluster.Testing;

namespace MovaCluster.Model.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void The_model_is_mova_alone_without_plans_runtime_or_orleans()
    {
        var closure = AssemblyClosure.NamesOf(typeof(MovaPipeline).Assembly);

        Assert.Contains("TorchSharp", closure);
        Assert.DoesNotContain(closure, name => name.StartsWith("Orleans", StringComparison.Ordinal));
        Assert.DoesNotContain(closure, name => name.StartsWith("MovaCluster.", StringComparison.Ordinal) && name != "MovaCluster.Model");
    }
}
