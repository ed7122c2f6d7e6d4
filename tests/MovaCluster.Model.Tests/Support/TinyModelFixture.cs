using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>The golden mova-tiny denoiser loaded once per test class, in float32 on the CPU.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Denoiser = MovaDenoiserLoader.Load(GoldenSet.Root, DTypePolicy.Float32, torch.CPU);
    }

    public MovaDenoiser Denoiser { get; }

    public void Dispose() => Denoiser.Dispose();
}
