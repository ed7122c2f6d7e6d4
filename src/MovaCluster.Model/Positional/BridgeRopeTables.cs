using TorchSharp;

namespace MovaCluster.Model.Positional;

/// <summary>Bridge RoPE (cos, sin) [1, L, headDim] for the video and the audio tokens.</summary>
public sealed record BridgeRopeTables(torch.Tensor VideoCos, torch.Tensor VideoSin, torch.Tensor AudioCos, torch.Tensor AudioSin) : IDisposable
{
    /// <summary>The same tables on another device (new tensors; this instance keeps its own).</summary>
    public BridgeRopeTables To(torch.Device device) =>
        new(VideoCos.to(device), VideoSin.to(device), AudioCos.to(device), AudioSin.to(device));

    /// <summary>Detaches all four tensors from any dispose scope so they can be cached.</summary>
    public BridgeRopeTables DetachFromDisposeScope()
    {
        VideoCos.DetachFromDisposeScope();
        VideoSin.DetachFromDisposeScope();
        AudioCos.DetachFromDisposeScope();
        AudioSin.DetachFromDisposeScope();
        return this;
    }

    public void Dispose()
    {
        VideoCos.Dispose();
        VideoSin.Dispose();
        AudioCos.Dispose();
        AudioSin.Dispose();
    }
}
