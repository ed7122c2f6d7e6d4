using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Execution.Mova;

/// <summary>
/// A <see cref="SamplerState"/> (latents plus the cache state that rebuilds a cached run's residuals) as the bytes of its
/// safetensors file, to travel inside a <see cref="Checkpoints.DenoiseCheckpoint"/>. The file format has one reader
/// and writer in the model (memory-mapped), so the bytes pass through a private temporary file.
/// </summary>
internal static class SamplerStateBytes
{
    public static byte[] Write(SamplerState state)
    {
        var path = TemporaryPath();
        try
        {
            state.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static SamplerState Read(byte[] bytes, torch.Device device)
    {
        var path = TemporaryPath();
        try
        {
            File.WriteAllBytes(path, bytes);
            return SamplerState.Load(path, device);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TemporaryPath() => Path.Combine(Path.GetTempPath(), $"mova-sampler-state-{Guid.NewGuid():N}.safetensors");
}
