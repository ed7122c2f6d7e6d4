using System.Globalization;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Checkpoints;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// A resumable point of a sampling run: the index of the next step and the float32 latents after the previous
/// one, plus, for a cached run, what rebuilds its cache (<see cref="CacheCheckpoint"/>). Resuming from it reproduces the
/// uninterrupted run exactly (the schedule and experts are recomputed).
/// </summary>
public sealed record SamplerState(int NextStep, torch.Tensor VideoLatents, torch.Tensor AudioLatents) : IDisposable
{
    private const string NextStepKey = "next_step";

    /// <summary>The cache state of a cached run (null for an uncached one); disposed with the state.</summary>
    public CacheCheckpoint? Cache { get; init; }

    /// <summary>Writes the state as a safetensors file (latents on CPU, next step and cache state in the metadata).</summary>
    public void Save(string path)
    {
        var tensors = new Dictionary<string, torch.Tensor> { ["video_latents"] = VideoLatents, ["audio_latents"] = AudioLatents };
        var metadata = new Dictionary<string, string> { [NextStepKey] = NextStep.ToString(CultureInfo.InvariantCulture), ["format"] = "mova-sampler-state/1" };
        Cache?.WriteTo(tensors, metadata);
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>Reads a state written by <see cref="Save"/> onto <paramref name="device"/>.</summary>
    public static SamplerState Load(string path, torch.Device device)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(NextStepKey, out var step) || !int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var nextStep))
        {
            throw new InvalidDataException($"Sampler state '{path}' has no valid '{NextStepKey}' metadata.");
        }

        var cache = CacheCheckpoint.ReadFrom(file, device);
        try
        {
            return new SamplerState(
                nextStep,
                file.Read("video_latents", torch.ScalarType.Float32, device),
                file.Read("audio_latents", torch.ScalarType.Float32, device)) { Cache = cache };
        }
        catch
        {
            cache?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        VideoLatents.Dispose();
        AudioLatents.Dispose();
        Cache?.Dispose();
    }
}
