using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// A LoRA adapter read into host memory: its layers (sorted by name), alpha and a content digest. Device copies are
/// made per model (or per layer range) with <see cref="LoraTargets.Bind"/>; this object stays the source.
/// </summary>
public sealed class LoraAdapter : IDisposable
{
    /// <summary>The official default alpha, used when the config holds no number.</summary>
    public const double DefaultAlpha = 16.0;

    private static readonly torch.ScalarType[] FloatingTypes =
        [torch.ScalarType.Float32, torch.ScalarType.BFloat16, torch.ScalarType.Float16, torch.ScalarType.Float64];

    private readonly SortedDictionary<string, LoraAdapterLayer> _layers;

    private LoraAdapter(string source, LoraAdapterFormat format, double alpha, SortedDictionary<string, LoraAdapterLayer> layers)
    {
        Source = source;
        Format = format;
        Alpha = alpha;
        _layers = layers;
        Digest = ComputeDigest(alpha, layers.Values);
    }

    /// <summary>The file or folder it was read from.</summary>
    public string Source { get; }

    public LoraAdapterFormat Format { get; }

    /// <summary>alpha as read (or overridden at load); the scaling of a layer is alpha / rank × strength.</summary>
    public double Alpha { get; }

    /// <summary>Adapted layers by name (<c>video_dit.blocks.0.self_attn.q</c>), in ordinal name order.</summary>
    public IReadOnlyDictionary<string, LoraAdapterLayer> Layers => _layers;

    /// <summary>The components the adapter touches, in the official order.</summary>
    public IReadOnlyList<string> Components =>
        [.. MovaLoraComponents.All.Where(c => _layers.Keys.Any(k => k.StartsWith(c + ".", StringComparison.Ordinal)))];

    /// <summary>Bytes of all A and B matrices.</summary>
    public long Bytes => _layers.Values.Sum(l => l.Bytes);

    /// <summary>
    /// SHA-256 (hex) of alpha and every layer's name, dtype, shape and bytes: the same for one adapter in any of the
    /// formats or key forms, different as soon as one value differs.
    /// </summary>
    public string Digest { get; }

    /// <summary>
    /// The official scaling of <paramref name="layer"/> at <paramref name="strength"/>: alpha / rank, times the
    /// strength as <c>set_lora_scale</c> multiplies it (strength 1 leaves alpha / rank as it is).
    /// </summary>
    public double Scaling(LoraAdapterLayer layer, double strength)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Alpha / layer.Rank * strength;
    }

    /// <summary>
    /// Builds an adapter from a state dict in either key form. The adapter holds its own handles (contiguous, on the
    /// CPU, sharing storage with the given CPU tensors); the caller still disposes the ones it passed. Every key must be a LoRA key of a MOVA
    /// component, every layer needs both matrices with fitting floating-point 2-D shapes and finite values, and all
    /// keys must share one form.
    /// </summary>
    public static LoraAdapter FromStateDict(
        IReadOnlyDictionary<string, torch.Tensor> tensors, double alpha, string source, LoraAdapterFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (!double.IsFinite(alpha))
        {
            throw new LoraAdapterException(source, null, $"alpha {alpha} is not a finite number.");
        }

        if (tensors.Count == 0)
        {
            throw new LoraAdapterException(source, null, "holds no LoRA tensors.");
        }

        var keys = tensors.Keys.Order(StringComparer.Ordinal).Select(k => (Key: k, Parsed: LoraTensorKey.Parse(k, source))).ToList();
        var forms = keys.GroupBy(k => k.Parsed.Form).OrderByDescending(g => g.Count()).ToList();
        if (forms.Count > 1)
        {
            var usual = forms[0].First().Key;
            var odd = forms[1].First().Key;
            throw new LoraAdapterException(source, odd, $"mixes the peft and diffsynth key forms (most keys look like '{usual}'); an adapter uses one.");
        }

        var layers = new SortedDictionary<string, LoraAdapterLayer>(StringComparer.Ordinal);
        try
        {
            foreach (var group in keys.GroupBy(k => k.Parsed.Layer, StringComparer.Ordinal))
            {
                var a = group.SingleOrDefault(k => k.Parsed.Matrix == LoraMatrix.A).Key;
                var b = group.SingleOrDefault(k => k.Parsed.Matrix == LoraMatrix.B).Key;
                if (a is null || b is null)
                {
                    throw new LoraAdapterException(source, a ?? b, $"layer '{group.Key}' has lora_{(a is null ? "B" : "A")} but no lora_{(a is null ? "A" : "B")}.");
                }

                layers[group.Key] = CreateLayer(group.Key, a, tensors[a], b, tensors[b], source);
            }

            return new LoraAdapter(source, format ?? forms[0].Key, alpha, layers);
        }
        catch
        {
            foreach (var layer in layers.Values)
            {
                layer.A.Dispose();
                layer.B.Dispose();
            }

            throw;
        }
    }

    /// <summary>The same layers with another alpha (the official <c>load_lora_weights(alpha=…)</c> override); new tensor handles.</summary>
    public LoraAdapter WithAlpha(double alpha)
    {
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        }

        var layers = new SortedDictionary<string, LoraAdapterLayer>(StringComparer.Ordinal);
        foreach (var (name, layer) in _layers)
        {
            layers[name] = new LoraAdapterLayer(name, layer.A.alias().DetachFromDisposeScope(), layer.B.alias().DetachFromDisposeScope());
        }

        return new LoraAdapter(Source, Format, alpha, layers);
    }

    public void Dispose()
    {
        foreach (var layer in _layers.Values)
        {
            layer.A.Dispose();
            layer.B.Dispose();
        }
    }

    private static LoraAdapterLayer CreateLayer(string name, string aKey, torch.Tensor a, string bKey, torch.Tensor b, string source)
    {
        CheckMatrix(aKey, a, source);
        CheckMatrix(bKey, b, source);
        if (a.dtype != b.dtype)
        {
            throw new LoraAdapterException(source, bKey, $"is {b.dtype} but lora_A of the same layer is {a.dtype}; the official layer multiplies them in one dtype.");
        }

        if (a.shape[0] < 1 || a.shape[0] != b.shape[1])
        {
            throw new LoraAdapterException(
                source, bKey, $"shape [{string.Join(", ", b.shape)}] does not fit lora_A [{string.Join(", ", a.shape)}]: lora_A is [rank, in] and lora_B [out, rank].");
        }

        // The adapter outlives any dispose scope of the caller, so its tensors belong to none.
        using var scope = torch.NewDisposeScope();
        var hostA = a.to(torch.CPU).contiguous().DetachFromDisposeScope();
        var hostB = b.to(torch.CPU).contiguous().DetachFromDisposeScope();
        return new LoraAdapterLayer(name, hostA, hostB);
    }

    private static void CheckMatrix(string key, torch.Tensor tensor, string source)
    {
        if (tensor.ndim != 2)
        {
            throw new LoraAdapterException(source, key, $"has shape [{string.Join(", ", tensor.shape)}]; a LoRA matrix is 2-D.");
        }

        if (!FloatingTypes.Contains(tensor.dtype))
        {
            throw new LoraAdapterException(source, key, $"has dtype {tensor.dtype}; LoRA matrices are float32, bfloat16, float16 or float64.");
        }

        using var finite = torch.isfinite(tensor).all();
        if (!finite.item<bool>())
        {
            throw new LoraAdapterException(source, key, "holds NaN or infinite values.");
        }
    }

    private static string ComputeDigest(double alpha, IEnumerable<LoraAdapterLayer> layers)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes("alpha=" + alpha.ToString("R", CultureInfo.InvariantCulture) + "\n"));
        foreach (var layer in layers)
        {
            foreach (var (matrix, tensor) in new[] { ("A", layer.A), ("B", layer.B) })
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{layer.Name}.{matrix} {tensor.dtype} [{string.Join(",", tensor.shape)}]\n"));
                hash.AppendData(tensor.bytes);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
