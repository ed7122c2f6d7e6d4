using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// Σ|current − reference| / Σ|reference|, the change measure of both cache levels, as a double. 16-bit tensors are
/// summed with float32 accumulation (libtorch reads them in place for that case, without a float32 copy).
/// </summary>
internal static class RelativeL1
{
    /// <summary>Σ|x|.</summary>
    public static double Norm(torch.Tensor x)
    {
        using var absolute = x.abs();
        return Sum(absolute);
    }

    /// <summary>The relative change; 0 when both are all zeros, +∞ when only the reference is.</summary>
    public static double Change(torch.Tensor current, torch.Tensor reference, double referenceNorm)
    {
        using var difference = current.to(reference.device) - reference;
        difference.abs_();
        var numerator = Sum(difference);
        if (referenceNorm == 0)
        {
            return numerator == 0 ? 0 : double.PositiveInfinity;
        }

        return numerator / referenceNorm;
    }

    public static double Change(torch.Tensor current, torch.Tensor reference) => Change(current, reference, Norm(reference));

    private static double Sum(torch.Tensor nonNegative)
    {
        var accumulate = nonNegative.dtype is torch.ScalarType.BFloat16 or torch.ScalarType.Float16 ? torch.ScalarType.Float32 : (torch.ScalarType?)null;
        using var sum = nonNegative.sum(accumulate);
        using var value = sum.to(torch.ScalarType.Float64, torch.CPU);
        return value.item<double>();
    }
}
