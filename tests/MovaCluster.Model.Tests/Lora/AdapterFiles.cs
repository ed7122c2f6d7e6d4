using System.Collections;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Lora;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>Writes adapters the way the official trainer does (torch.save dicts) and as safetensors, in a temporary folder.</summary>
public sealed class AdapterFiles : IDisposable
{
    public AdapterFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "mova-lora-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>
    /// Seeded random A [rank, in] and B [out, rank] for every layer of <paramref name="catalog"/> accepted by
    /// <paramref name="include"/>, keyed in the given form.
    /// </summary>
    public static Dictionary<string, torch.Tensor> RandomTensors(
        LoraLayerCatalog catalog, int rank, torch.ScalarType dtype, long seed, LoraAdapterFormat form = LoraAdapterFormat.Peft, Func<string, bool>? include = null)
    {
        using var generator = new torch.Generator((ulong)seed);
        var infix = form == LoraAdapterFormat.DiffSynth ? ".default" : string.Empty;
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in catalog.Layers)
        {
            if (include is not null && !include(name))
            {
                continue;
            }

            using var a = torch.randn([rank, shape.InFeatures], generator: generator);
            using var b = torch.randn([shape.OutFeatures, rank], generator: generator);
            tensors[$"{name}.lora_A{infix}.weight"] = a.mul(0.2).to(dtype);
            tensors[$"{name}.lora_B{infix}.weight"] = b.mul(0.05).to(dtype);
        }

        return tensors;
    }

    /// <summary>The official trainer's config: its class name as rank, the given alpha and target modules.</summary>
    public static Hashtable OfficialConfig(object? alpha = null, params string[] targetModules) => new()
    {
        ["rank"] = "MOVATrain",
        ["alpha"] = alpha ?? 16.0,
        ["target_modules"] = new ArrayList(targetModules),
    };

    /// <summary>Writes lora_weights.pt (and lora_config.pt when a config is given) into a new folder; returns the folder.</summary>
    public string WriteTorch(string name, IDictionary tensors, IDictionary? config)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        PyTorchPickler.PickleStateDict(Path.Combine(folder, LoraAdapterReader.WeightsFileName), tensors);
        if (config is not null)
        {
            PyTorchPickler.PickleStateDict(Path.Combine(folder, LoraAdapterReader.ConfigFileName), config);
        }

        return folder;
    }

    public string WriteTorch(string name, Dictionary<string, torch.Tensor> tensors, IDictionary? config) =>
        WriteTorch(name, new Hashtable(tensors), config);

    /// <summary>Writes a safetensors adapter; returns its path.</summary>
    public string WriteSafetensors(string name, Dictionary<string, torch.Tensor> tensors, Dictionary<string, string>? metadata = null)
    {
        var path = Path.Combine(Root, name + ".safetensors");
        SafetensorsWriter.Write(path, tensors, metadata);
        return path;
    }

    public static void DisposeAll(Dictionary<string, torch.Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
