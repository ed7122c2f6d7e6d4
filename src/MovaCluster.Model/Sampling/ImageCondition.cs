using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// The first-frame condition: cat(mask4, (z − mean)·(1/std)) with mask = 1 on latent frame 0 and 0 elsewhere. The
/// reciprocal is a float32 tensor, as in the official normalisation (NUMERICS 13).
/// </summary>
public static class ImageCondition
{
    /// <summary>Builds [1, 4 + C, T, H, W] from the raw VAE latent [1, C, T, H, W] and per-channel statistics.</summary>
    public static torch.Tensor Build(torch.Tensor rawLatent, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(rawLatent);
        using var scope = torch.NewDisposeScope();
        var normalized = Normalize(rawLatent, mean, std);
        var shape = rawLatent.shape;
        var mask = torch.zeros([shape[0], 4, shape[2], shape[3], shape[4]], rawLatent.dtype, rawLatent.device);
        mask.narrow(2, 0, 1).fill_(1);
        return torch.cat([mask, normalized], 1).MoveToOuterDisposeScope();
    }

    /// <summary>(z − mean)·(1/std) per channel.</summary>
    public static torch.Tensor Normalize(torch.Tensor latent, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var scope = torch.NewDisposeScope();
        var (m, inverse) = Statistics(latent, mean, std);
        return (latent - m).mul_(inverse.reciprocal_()).MoveToOuterDisposeScope();
    }

    /// <summary>z·std + mean per channel (before the video VAE decode).</summary>
    public static torch.Tensor Denormalize(torch.Tensor latent, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(latent);
        using var scope = torch.NewDisposeScope();
        var (m, s) = Statistics(latent, mean, std);
        return (latent * s).add_(m).MoveToOuterDisposeScope();
    }

    private static (torch.Tensor Mean, torch.Tensor Std) Statistics(torch.Tensor latent, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        var channels = latent.shape[1];
        if (mean.Count != channels || std.Count != channels)
        {
            throw new ArgumentException($"Latent has {channels} channels but the statistics have {mean.Count}/{std.Count}.", nameof(mean));
        }

        var m = torch.tensor(mean.Select(v => (float)v).ToArray(), latent.dtype, latent.device).view(1, channels, 1, 1, 1);
        var s = torch.tensor(std.Select(v => (float)v).ToArray(), latent.dtype, latent.device).view(1, channels, 1, 1, 1);
        return (m, s);
    }
}
