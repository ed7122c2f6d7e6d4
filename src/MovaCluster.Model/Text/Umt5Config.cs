using System.Text.Json;

namespace MovaCluster.Model.Text;

/// <summary>
/// The UMT5 encoder fields of a transformers <c>text_encoder/config.json</c>. transformers configs carry many
/// unrelated keys (decoder sizes, tokenizer class, versions), which are ignored as transformers does.
/// </summary>
public sealed record Umt5Config
{
    public required int VocabSize { get; init; }
    public required int DModel { get; init; }
    public required int DKv { get; init; }
    public required int DFf { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    public double LayerNormEpsilon { get; init; } = 1e-6;
    public string FeedForwardProj { get; init; } = "gated-gelu";

    /// <summary>Width of q/k/v (heads x d_kv), which need not equal d_model.</summary>
    public int InnerDim => NumHeads * DKv;

    public static Umt5Config Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"UMT5 config '{Path.GetFullPath(file)}' does not exist.", file);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = document.RootElement;
        int Required(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32()
            : throw new InvalidDataException($"UMT5 config '{file}' lacks integer field '{name}'.");

        var config = new Umt5Config
        {
            VocabSize = Required("vocab_size"),
            DModel = Required("d_model"),
            DKv = Required("d_kv"),
            DFf = Required("d_ff"),
            NumLayers = Required("num_layers"),
            NumHeads = Required("num_heads"),
            RelativeAttentionNumBuckets = root.TryGetProperty("relative_attention_num_buckets", out var b) ? b.GetInt32() : 32,
            RelativeAttentionMaxDistance = root.TryGetProperty("relative_attention_max_distance", out var d) ? d.GetInt32() : 128,
            LayerNormEpsilon = root.TryGetProperty("layer_norm_epsilon", out var e) ? e.GetDouble() : 1e-6,
            FeedForwardProj = root.TryGetProperty("feed_forward_proj", out var f) ? f.GetString() ?? "gated-gelu" : "gated-gelu",
        };
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"UMT5 config '{file}' is invalid: {string.Join(" ", errors)}");
        }

        return config;
    }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (VocabSize <= 0 || DModel <= 0 || DKv <= 0 || DFf <= 0 || NumLayers <= 0 || NumHeads <= 0)
        {
            errors.Add("vocab_size, d_model, d_kv, d_ff, num_layers and num_heads must be positive.");
        }

        if (RelativeAttentionNumBuckets < 4 || RelativeAttentionMaxDistance <= RelativeAttentionNumBuckets / 4)
        {
            errors.Add("relative_attention_num_buckets must be >= 4 and relative_attention_max_distance above a quarter of it.");
        }

        if (FeedForwardProj != "gated-gelu")
        {
            errors.Add($"feed_forward_proj '{FeedForwardProj}' is not supported (UMT5 uses gated-gelu).");
        }

        if (LayerNormEpsilon <= 0)
        {
            errors.Add("layer_norm_epsilon must be positive.");
        }

        return errors;
    }
}
