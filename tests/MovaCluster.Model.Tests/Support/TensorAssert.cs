using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>Relative-error comparison: max|actual - expected| / max|expected|, computed in float64.</summary>
public static class TensorAssert
{
    public static double RelativeError(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = torch.NewDisposeScope();
        var a = actual.to(torch.ScalarType.Float64, torch.CPU);
        var e = expected.to(torch.ScalarType.Float64, torch.CPU);
        var maxRef = e.abs().max().item<double>();
        var maxErr = (a - e).abs().max().item<double>();
        return maxRef == 0 ? maxErr : maxErr / maxRef;
    }

    public static double Close(torch.Tensor actual, torch.Tensor expected, double tolerance, string what)
    {
        var error = RelativeError(actual, expected);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E3} exceeds {tolerance:E1}.");
        return error;
    }

    public static void Equal(torch.Tensor actual, torch.Tensor expected, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(actual.eq(expected).all().item<bool>(), $"{what}: tensors differ.");
    }
}
