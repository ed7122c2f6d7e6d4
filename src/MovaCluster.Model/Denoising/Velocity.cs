using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>A model prediction in float32: video [1, 16, T, H, W] and audio [1, C, Ta].</summary>
public sealed record Velocity(torch.Tensor Video, torch.Tensor Audio) : IDisposable
{
    public void Dispose()
    {
        Video.Dispose();
        Audio.Dispose();
    }
}
