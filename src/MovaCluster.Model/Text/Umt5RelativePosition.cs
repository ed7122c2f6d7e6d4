using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>T5's bidirectional relative-position buckets of (key - query), with upstream's float32 log step.</summary>
public static class Umt5RelativePosition
{
    /// <summary>Bucket table [queries, keys] (int64).</summary>
    public static Tensor Buckets(long queryLength, long keyLength, int numBuckets, int maxDistance, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var context = torch.arange(queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var memory = torch.arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var relative = memory - context;

        int half = numBuckets / 2;
        var buckets = relative.gt(0).to(ScalarType.Int64) * half;
        var distance = relative.abs();
        int maxExact = half / 2;
        var isSmall = distance.lt(maxExact);
        var large = (torch.log(distance.to(ScalarType.Float32) / maxExact) / Math.Log((double)maxDistance / maxExact) * (half - maxExact))
            .to(ScalarType.Int64) + maxExact;
        large = torch.minimum(large, torch.full_like(large, half - 1));
        buckets = buckets + torch.where(isSmall, distance, large);
        return buckets.MoveToOuterDisposeScope();
    }
}
