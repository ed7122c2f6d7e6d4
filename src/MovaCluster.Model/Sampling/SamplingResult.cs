using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>Final float32 latents of a sampling run: video [1, 16, T, H, W] (normalised) and audio [1, C, Ta].</summary>
public sealed record SamplingResult(torch.Tensor VideoLatents, torch.Tensor AudioLatents) : IDisposable
{
    public void Dispose()
    {
        VideoLatents.Dispose();
        AudioLatents.Dispose();
    }
}
