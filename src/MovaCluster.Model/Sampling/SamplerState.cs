using System.Globalization;
using MovaCluster.Model.Checkpoints;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// A resumable point of a sampling run: the index of the next step and the float32 latents after the previous
/// one. Resuming from it reproduces the uninterrupted run exactly (the schedule and experts are recomputed).
/// </summary>
public sealed record SamplerState(int NextStep, torch.Tensor VideoLatents, torch.Tensor AudioLatents) : IDisposable
{
    private const string NextStepKey = "next_step";

    /// <summary>Writes the state as a safetensors file (latents on CPU, next step in the metadata).</summary>
    public void Save(string path) =>
        SafetensorsWriter.Write(
            path,
            new Dictionary<string, torch.Tensor> { ["video_latents"] = VideoLatents, ["audio_latents"] = AudioLatents },
            new Dictionary<string, string> { [NextStepKey] = NextStep.ToString(CultureInfo.InvariantCulture), ["format"] = "mova-sampler-state/1" });

    /// <summary>Reads a state written by <see cref="Save"/> onto <paramref name="device"/>.</summary>
    public static SamplerState Load(string path, torch.Device device)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(NextStepKey, out var step) || !int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var nextStep))
        {
            throw new InvalidDataException($"Sampler state '{path}' has no valid '{NextStepKey}' metadata.");
        }

        return new SamplerState(
            nextStep,
            file.Read("video_latents", torch.ScalarType.Float32, device),
            file.Read("audio_latents", torch.ScalarType.Float32, device));
    }

    public void Dispose()
    {
        VideoLatents.Dispose();
        AudioLatents.Dispose();
    }
}
