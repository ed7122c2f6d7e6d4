using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>The hidden states flowing through the dual-tower stack: video [B, Lv, Dv] and audio [B, La, Da].</summary>
public sealed record DualTowerActivations(torch.Tensor Video, torch.Tensor Audio) : IDisposable
{
    /// <summary>Copies to <paramref name="device"/> (new tensors).</summary>
    public DualTowerActivations To(torch.Device device) => new(Video.to(device), Audio.to(device));

    public void Dispose()
    {
        Video.Dispose();
        Audio.Dispose();
    }
}
