using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Lora;
using TorchSharp;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>The LoRA set's base denoiser in float32 on the CPU, its adaptable layers and a runtime over them.</summary>
public sealed class LoraGoldenFixture : IDisposable
{
    public LoraGoldenFixture()
    {
        Denoiser = MovaDenoiserLoader.Load(LoraGoldenSet.BaseRoot, DTypePolicy.Float32, torch.CPU);
        Targets = LoraTargets.ForDenoiser(Denoiser);
        Runtime = new LoraRuntime(Targets);
    }

    public MovaDenoiser Denoiser { get; }

    public LoraTargets Targets { get; }

    public LoraRuntime Runtime { get; }

    public void Dispose()
    {
        Runtime.Restore();
        Denoiser.Dispose();
    }
}
