using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// The Linear layers of a whole MOVA denoiser that the official LoRA pipeline adapts, with their widths, plus the
/// names of the Linears it never adapts. Validating an adapter against it needs no weights, so a registration can
/// check an upload against the configs of the model it is meant for.
/// </summary>
public sealed class LoraLayerCatalog
{
    private const int ProblemsListed = 5;

    private readonly SortedDictionary<string, LoraLayerShape> _layers;
    private readonly HashSet<string> _notAdapted;

    internal LoraLayerCatalog(IDictionary<string, LoraLayerShape> layers, IEnumerable<string> notAdapted)
    {
        _layers = new SortedDictionary<string, LoraLayerShape>(layers, StringComparer.Ordinal);
        _notAdapted = new HashSet<string>(notAdapted, StringComparer.Ordinal);
    }

    /// <summary>Adaptable layers by full name (<c>video_dit.blocks.0.self_attn.q</c>), in ordinal order.</summary>
    public IReadOnlyDictionary<string, LoraLayerShape> Layers => _layers;

    /// <summary>Linear layers the official rule leaves alone (embeddings, time projection, heads).</summary>
    public IReadOnlySet<string> NotAdapted => _notAdapted;

    /// <summary>
    /// The catalog of the checkpoint folder's denoiser (video_dit/, video_dit_2/, audio_dit/, dual_tower_bridge/
    /// configs), built on the meta device: no weights are read and no memory is allocated.
    /// </summary>
    public static LoraLayerCatalog FromCheckpoint(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var factory = new ParameterFactory(torch.META, DTypePolicy.Float32);
        using var high = new WanModel(ConfigJson.Load<WanModelConfig>(Path.Combine(folder, MovaDenoiserLoader.ExpertFolder(VideoExpert.HighNoise))), factory);
        using var low = new WanModel(ConfigJson.Load<WanModelConfig>(Path.Combine(folder, MovaDenoiserLoader.ExpertFolder(VideoExpert.LowNoise))), factory);
        using var audio = new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(Path.Combine(folder, MovaLoraComponents.Audio)), factory);
        using var bridge = new DualTowerConditionalBridge(ConfigJson.Load<BridgeConfig>(Path.Combine(folder, MovaLoraComponents.Bridge)), factory);
        return LoraTargets.Combine(
            LoraTargets.ForComponent(MovaLoraComponents.HighNoiseVideo, high),
            LoraTargets.ForComponent(MovaLoraComponents.LowNoiseVideo, low),
            LoraTargets.ForComponent(MovaLoraComponents.Audio, audio),
            LoraTargets.ForComponent(MovaLoraComponents.Bridge, bridge)).Catalog;
    }

    /// <summary>
    /// Throws a <see cref="LoraAdapterException"/> naming the first layer (in name order) that is not an adaptable
    /// layer of this model or whose matrices do not fit it, with a count of further problems.
    /// </summary>
    public void Validate(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var problems = new List<(string Layer, string Problem)>();
        foreach (var layer in adapter.Layers.Values)
        {
            if (Problem(layer) is { } problem)
            {
                problems.Add((layer.Name, problem));
            }
        }

        if (problems.Count == 0)
        {
            return;
        }

        var more = problems.Count > 1
            ? $" Further layers that do not fit: {string.Join(", ", problems.Skip(1).Take(ProblemsListed).Select(p => p.Layer))}{(problems.Count > ProblemsListed + 1 ? $" and {problems.Count - ProblemsListed - 1} more" : string.Empty)}."
            : string.Empty;
        throw new LoraAdapterException(adapter.Source, problems[0].Layer, problems[0].Problem + more);
    }

    /// <summary>Why <paramref name="layer"/> does not fit this model, or null when it does.</summary>
    public string? Problem(LoraAdapterLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!_layers.TryGetValue(layer.Name, out var shape))
        {
            return _notAdapted.Contains(layer.Name)
                ? "names a Linear layer the official MOVA LoRA never adapts (its rule: names containing "
                  + $"{string.Join(", ", OfficialLoraTargetRule.TargetNames)}, except {string.Join(", ", OfficialLoraTargetRule.ExcludedNames)}); the official loader would silently skip it."
                : "names no Linear layer of the model.";
        }

        if (layer.InFeatures != shape.InFeatures || layer.OutFeatures != shape.OutFeatures)
        {
            return $"lora_A [{layer.Rank}, {layer.InFeatures}] and lora_B [{layer.OutFeatures}, {layer.Rank}] do not fit the layer "
                + $"({shape.InFeatures} inputs, {shape.OutFeatures} outputs): lora_A must be [rank, {shape.InFeatures}] and lora_B [{shape.OutFeatures}, rank].";
        }

        return null;
    }
}
