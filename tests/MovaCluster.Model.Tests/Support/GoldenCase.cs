using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>One golden case file: tensors by name (read once, disposed with the case) plus its manifest entry.</summary>
public sealed class GoldenCase : IDisposable
{
    private readonly SafetensorsFile _file;
    private readonly Dictionary<string, torch.Tensor> _tensors = [];

    public GoldenCase(string name)
    {
        Name = name;
        Entry = GoldenSet.CaseEntry(name);
        _file = GoldenSet.OpenCase(name);
    }

    public string Name { get; }

    public JsonElement Entry { get; }

    public JsonElement Params => Entry.GetProperty("params");

    public IEnumerable<string> TensorNames => _file.Tensors.Keys;

    public bool Has(string name) => _file.Contains(name);

    public torch.Tensor this[string name]
    {
        get
        {
            if (!_tensors.TryGetValue(name, out var tensor))
            {
                tensor = _file.Read(name);
                _tensors[name] = tensor;
            }

            return tensor;
        }
    }

    /// <summary>The inputs of a single-step case, timesteps and fps included, as the case fed them.</summary>
    public StepInput SingleStepInput() => new(
        this["input.visual_latents"],
        this["input.audio_latents"],
        this["input.context"],
        this["input.timestep"].item<float>(),
        this["input.audio_timestep"].item<float>(),
        Params.GetProperty("video_fps").GetDouble());

    /// <summary>A complex128 table stored as <c>name.real</c> / <c>name.imag</c> float64 pairs.</summary>
    public torch.Tensor Complex(string name)
    {
        var key = name + ".complex";
        if (!_tensors.TryGetValue(key, out var tensor))
        {
            tensor = torch.complex(this[name + ".real"], this[name + ".imag"]);
            _tensors[key] = tensor;
        }

        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }

        _file.Dispose();
    }
}
