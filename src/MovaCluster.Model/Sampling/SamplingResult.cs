using MovaCluster.Model.Caching;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>Final float32 latents of a sampling run: video [1, 16, T, H, W] (normalised) and audio [1, C, Ta].</summary>
public sealed record SamplingResult(torch.Tensor VideoLatents, torch.Tensor AudioLatents) : IDisposable
{
    /// <summary>What the step and block cache did (null when caching was off: every pass computed every layer).</summary>
    public CacheReport? Cache { get; init; }

    public void Dispose()
    {
        VideoLatents.Dispose();
        AudioLatents.Dispose();
    }
}
