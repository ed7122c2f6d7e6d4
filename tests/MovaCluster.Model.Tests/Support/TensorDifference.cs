using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>Maximum absolute difference, computed in float64.</summary>
public static class TensorDifference
{
    public static double MaxAbs(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = torch.NewDisposeScope();
        return (actual.to(torch.float64, torch.CPU) - expected.to(torch.float64, torch.CPU)).abs().max().item<double>();
    }

    public static void AssertClose(torch.Tensor actual, torch.Tensor expected, double tolerance, string what)
    {
        double error = MaxAbs(actual, expected);
        Assert.True(error <= tolerance, $"{what}: max |difference| {error:E3} exceeds {tolerance:E1}.");
    }
}
