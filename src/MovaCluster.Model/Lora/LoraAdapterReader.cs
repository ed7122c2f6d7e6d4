using System.Collections;
using System.Globalization;
using MovaCluster.Model.Checkpoints;
using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// Reads an adapter in the official formats: a folder (or its <c>lora_weights.pt</c>) written by the official
/// <c>save_lora_weights</c>, with <c>lora_config.pt</c> beside it, in the peft or diffsynth key form; or a
/// safetensors file (a folder holding exactly one also works) with alpha in its metadata. Rank comes from the tensor
/// shapes; alpha from the config when it is a number, else 16.0 (the official default), unless overridden.
/// </summary>
public static class LoraAdapterReader
{
    /// <summary>The official weights file name.</summary>
    public const string WeightsFileName = "lora_weights.pt";

    /// <summary>The official config file name.</summary>
    public const string ConfigFileName = "lora_config.pt";

    /// <summary>
    /// Reads the adapter at <paramref name="path"/>; <paramref name="alphaOverride"/> replaces the saved alpha. A file
    /// larger than <paramref name="maxBytes"/>, or an archive whose entries unpack to more, is refused before any
    /// tensor is built (an upload limit that a compressed archive cannot get around).
    /// </summary>
    public static LoraAdapter Read(string path, double? alphaOverride = null, long maxBytes = long.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var weights = Path.Combine(full, WeightsFileName);
            if (File.Exists(weights))
            {
                return ReadTorch(weights, alphaOverride, maxBytes);
            }

            var candidates = Directory.GetFiles(full, "*.safetensors");
            return candidates.Length switch
            {
                1 => ReadSafetensors(candidates[0], alphaOverride, maxBytes),
                0 => throw new LoraAdapterException(full, null, $"holds neither {WeightsFileName} nor a .safetensors file."),
                _ => throw new LoraAdapterException(full, null, $"holds {candidates.Length} .safetensors files; name the one to read."),
            };
        }

        if (!File.Exists(full))
        {
            throw new LoraAdapterException(full, null, "does not exist.");
        }

        return Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".safetensors" => ReadSafetensors(full, alphaOverride, maxBytes),
            ".pt" or ".pth" or ".bin" => ReadTorch(full, alphaOverride, maxBytes),
            var other => throw new LoraAdapterException(full, null, $"has the extension '{other}'; expected {WeightsFileName} (with {ConfigFileName}) or .safetensors."),
        };
    }

    private static LoraAdapter ReadTorch(string weightsPath, double? alphaOverride, long maxBytes)
    {
        var configPath = Path.Combine(Path.GetDirectoryName(weightsPath)!, ConfigFileName);
        var (alpha, components) = File.Exists(configPath) ? ReadConfig(configPath, maxBytes) : (LoraAdapter.DefaultAlpha, []);
        var tensors = PyTorchPickleFile.ReadTensors(weightsPath, maxBytes);
        try
        {
            if (components.Count > 0)
            {
                var outside = tensors.Keys.Order(StringComparer.Ordinal)
                    .FirstOrDefault(k => !components.Any(c => k.StartsWith(c + ".", StringComparison.Ordinal)));
                if (outside is not null)
                {
                    throw new LoraAdapterException(
                        weightsPath,
                        outside,
                        $"belongs to a component that {ConfigFileName} target_modules ({string.Join(", ", components)}) leaves out; the official loader would silently skip it.");
                }
            }

            return LoraAdapter.FromStateDict(tensors, alphaOverride ?? alpha, weightsPath);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    // The official MOVALoRA.load_lora reads alpha (default 16.0) and takes target_modules as the components to adapt
    // (all four when empty). The trainer's save_lora_weights writes its layer-name filter there instead, which the
    // official pipeline would then treat as components and adapt nothing; refusing such a config is clearer than
    // either applying the layers anyway or silently applying none.
    private static (double Alpha, IReadOnlyList<string> Components) ReadConfig(string configPath, long maxBytes)
    {
        var config = PyTorchPickleFile.ReadDictionary(configPath, maxBytes);
        var alpha = config["alpha"] is { } value && AsNumber(value) is { } number ? number : LoraAdapter.DefaultAlpha;
        var components = new List<string>();
        if (config["target_modules"] is IEnumerable entries and not string)
        {
            foreach (var entry in entries)
            {
                if (entry is not string name || !MovaLoraComponents.IsComponent(name))
                {
                    throw new LoraAdapterException(
                        configPath,
                        "target_modules",
                        $"names '{entry}', which is not a MOVA component ({string.Join(", ", MovaLoraComponents.All)}); the official MOVALoRA.load_lora " +
                        "takes this list as the components to adapt and would apply no LoRA at all. Save the config with an empty target_modules.");
                }

                components.Add(name);
            }
        }

        return (alpha, components);
    }

    private static LoraAdapter ReadSafetensors(string path, double? alphaOverride, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw new LoraAdapterException(path, null, $"is {length} bytes, more than the limit of {maxBytes}.");
        }

        SafetensorsFile file;
        try
        {
            file = SafetensorsFile.Open(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or NotSupportedException)
        {
            throw new LoraAdapterException(path, null, $"is not a readable safetensors file ({ex.Message}).", ex);
        }

        using (file)
        {
            var alpha = file.Metadata.TryGetValue("alpha", out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : LoraAdapter.DefaultAlpha;
            var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var key in file.Tensors.Keys)
                {
                    tensors[key] = file.Read(key);
                }

                return LoraAdapter.FromStateDict(tensors, alphaOverride ?? alpha, path, LoraAdapterFormat.Safetensors);
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                {
                    tensor.Dispose();
                }
            }
        }
    }

    private static double? AsNumber(object value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        decimal m => (double)m,
        System.Numerics.BigInteger big => (double)big,
        _ => null,
    };
}
