using TorchSharp;

namespace MovaCluster.Model.Positional;

/// <summary>
/// The Wan timestep sinusoid: [cos(t·ω_j), sin(t·ω_j)] with ω_j = 10000^(−j/half), computed in float64 and cast to
/// the timestep dtype (float32); computing it in float32 is off by up to 4e-5 near t = 1000 (NUMERICS 7).
/// </summary>
public static class SinusoidalTimeEmbedding
{
    /// <summary>Embeds timesteps [B] into [B, <paramref name="dim"/>] in the timesteps' dtype.</summary>
    public static torch.Tensor Compute(int dim, torch.Tensor timesteps)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        if (dim <= 0 || dim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, "The sinusoid dimension must be positive and even.");
        }

        using var scope = torch.NewDisposeScope();
        var half = dim / 2;
        var exponent = torch.arange(half, torch.ScalarType.Float64, timesteps.device).div_(half).neg_();
        var frequencies = torch.pow(10000.0, exponent);
        var angles = torch.outer(timesteps.to(torch.ScalarType.Float64), frequencies);
        var embedding = torch.cat([torch.cos(angles), torch.sin(angles)], 1);
        return embedding.to(timesteps.dtype).MoveToOuterDisposeScope();
    }
}
