using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>One case of the LoRA set: its inputs as a step input, its expert and its expected outputs by variant and stream.</summary>
public sealed class LoraGoldenCase : IDisposable
{
    private const string OutputPrefix = "output.";
    private readonly SafetensorsFile _file;
    private readonly List<torch.Tensor> _owned = [];

    public LoraGoldenCase(string name)
    {
        Name = name;
        Entry = LoraGoldenSet.CaseEntry(name);
        _file = LoraGoldenSet.OpenCase(name);
        Input = new StepInput(
            Read("input.visual_latents"),
            Read("input.audio_latents"),
            Read("input.context"),
            ReadScalar("input.timestep"),
            ReadScalar("input.audio_timestep"),
            Params.GetProperty("video_fps").GetDouble());
        var expert = Params.GetProperty("expert").GetString();
        Expert = expert == MovaDenoiserLoader.ExpertFolder(VideoExpert.HighNoise) ? VideoExpert.HighNoise
            : expert == MovaDenoiserLoader.ExpertFolder(VideoExpert.LowNoise) ? VideoExpert.LowNoise
            : throw new InvalidDataException($"Case {name} names the unknown expert '{expert}'.");
    }

    public string Name { get; }

    public JsonElement Entry { get; }

    public JsonElement Params => Entry.GetProperty("params");

    public StepInput Input { get; }

    public VideoExpert Expert { get; }

    /// <summary>The output variants the case holds (<c>base</c>, <c>lora</c>, <c>merged</c>, ...).</summary>
    public IReadOnlyList<string> Variants =>
        [.. _file.Tensors.Keys.Where(k => k.StartsWith(OutputPrefix, StringComparison.Ordinal)).Select(k => k[OutputPrefix.Length..k.LastIndexOf('.')]).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The streams (<c>visual</c>, <c>audio</c>) a variant holds.</summary>
    public IReadOnlyList<string> Streams(string variant) =>
        [.. _file.Tensors.Keys.Where(k => k.StartsWith(OutputPrefix + variant + ".", StringComparison.Ordinal)).Select(k => k[(OutputPrefix.Length + variant.Length + 1)..]).Order(StringComparer.Ordinal)];

    public torch.Tensor Expected(string variant, string stream) => Read(OutputPrefix + variant + "." + stream);

    /// <summary>The manifest's max |difference| for <paramref name="key"/> (e.g. <c>merged_vs_lora.visual</c>), if listed.</summary>
    public double? MaxAbs(string key) =>
        Entry.TryGetProperty("max_abs", out var table) && table.TryGetProperty(key, out var value) ? value.GetDouble() : null;

    public void Dispose()
    {
        _owned.ForEach(t => t.Dispose());
        _file.Dispose();
    }

    private torch.Tensor Read(string key)
    {
        var tensor = _file.Read(key);
        _owned.Add(tensor);
        return tensor;
    }

    private float ReadScalar(string key)
    {
        using var tensor = _file.Read(key);
        return tensor.item<float>();
    }
}
