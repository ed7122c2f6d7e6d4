using MovaCluster.Model.Denoising;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// The live Linear layers of one set of modules (a whole denoiser, or the layers one device of a planned replica
/// holds) that LoRA adapters can apply to, by full adapter name (<c>video_dit.blocks.0.self_attn.q</c>). Adapters
/// are bound to a target set, which copies their matrices to the layers' devices.
/// </summary>
public sealed class LoraTargets
{
    private readonly Dictionary<string, Linear> _layers;
    private readonly HashSet<string> _notAdapted;

    private LoraTargets(Dictionary<string, Linear> layers, HashSet<string> notAdapted)
    {
        _layers = layers;
        _notAdapted = notAdapted;
        Catalog = new LoraLayerCatalog(layers.ToDictionary(p => p.Key, p => new LoraLayerShape(p.Value.InFeatures, p.Value.OutFeatures)), notAdapted);
    }

    /// <summary>Adaptable layers by full name.</summary>
    public IReadOnlyDictionary<string, Linear> Layers => _layers;

    /// <summary>Names and widths of the layers held here (the whole model's catalog when these are the whole model).</summary>
    public LoraLayerCatalog Catalog { get; }

    /// <summary>The layers of a denoiser: each video expert it holds, the audio tower and the bridge.</summary>
    public static LoraTargets ForDenoiser(MovaDenoiser denoiser)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        var parts = new List<LoraTargets>();
        if (denoiser.Holds(VideoExpert.HighNoise))
        {
            parts.Add(ForComponent(MovaLoraComponents.HighNoiseVideo, denoiser.HighNoise));
        }

        if (denoiser.Holds(VideoExpert.LowNoise))
        {
            parts.Add(ForComponent(MovaLoraComponents.LowNoiseVideo, denoiser.LowNoise));
        }

        parts.Add(ForComponent(MovaLoraComponents.Audio, denoiser.Audio));
        parts.Add(ForComponent(MovaLoraComponents.Bridge, denoiser.Bridge));
        return Combine([.. parts]);
    }

    /// <summary>The layers of one component's module, whose child names are the component's checkpoint names.</summary>
    public static LoraTargets ForComponent(string component, torch.nn.Module module)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (!MovaLoraComponents.IsComponent(component))
        {
            throw new ArgumentException($"'{component}' is not a MOVA component ({string.Join(", ", MovaLoraComponents.All)}).", nameof(component));
        }

        return ForModule(module, local => component + "." + local);
    }

    /// <summary>
    /// The layers of any module (for example a layer range of a planned replica): <paramref name="layerName"/> maps the
    /// module's own name of each Linear to its full adapter name (<c>video_blocks.3.ffn.0</c> →
    /// <c>video_dit.blocks.3.ffn.0</c>), or to null for a Linear outside the four components. The official rule
    /// decides which of them are adaptable.
    /// </summary>
    public static LoraTargets ForModule(torch.nn.Module module, Func<string, string?> layerName)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(layerName);
        var layers = new Dictionary<string, Linear>(StringComparer.Ordinal);
        var notAdapted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (local, child) in module.named_modules())
        {
            if (child is not Linear linear || layerName(local) is not { } name)
            {
                continue;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !MovaLoraComponents.IsComponent(name[..dot]))
            {
                throw new ArgumentException($"Layer name '{name}' (module name '{local}') does not start with a MOVA component.", nameof(layerName));
            }

            if (OfficialLoraTargetRule.Adapts(name[(dot + 1)..]))
            {
                if (!layers.TryAdd(name, linear))
                {
                    throw new ArgumentException($"Two Linear layers map to '{name}'.", nameof(layerName));
                }
            }
            else
            {
                notAdapted.Add(name);
            }
        }

        return new LoraTargets(layers, notAdapted);
    }

    /// <summary>The union of disjoint target sets.</summary>
    public static LoraTargets Combine(params LoraTargets[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var layers = new Dictionary<string, Linear>(StringComparer.Ordinal);
        var notAdapted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (name, linear) in part._layers)
            {
                if (!layers.TryAdd(name, linear))
                {
                    throw new ArgumentException($"Layer '{name}' is in more than one target set.", nameof(parts));
                }
            }

            notAdapted.UnionWith(part._notAdapted);
        }

        return new LoraTargets(layers, notAdapted);
    }

    /// <summary>
    /// Binds an adapter to these layers, which must hold every layer it names (a whole model): validated against
    /// <see cref="Catalog"/>, then A and B copied to each layer's device in the adapter's dtype.
    /// </summary>
    public BoundLoraAdapter Bind(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        Catalog.Validate(adapter);
        return BindPresent(adapter);
    }

    /// <summary>
    /// Binds the adapter's layers that are held here and ignores the rest (one layer range of a planned replica;
    /// validate the adapter against the whole model's catalog first). Layers held here must still fit.
    /// </summary>
    public BoundLoraAdapter BindPart(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        foreach (var layer in adapter.Layers.Values.Where(l => _layers.ContainsKey(l.Name)))
        {
            if (Catalog.Problem(layer) is { } problem)
            {
                throw new LoraAdapterException(adapter.Source, layer.Name, problem);
            }
        }

        return BindPresent(adapter);
    }

    private BoundLoraAdapter BindPresent(LoraAdapter adapter)
    {
        var bound = new Dictionary<Linear, BoundLoraLayer>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var layer in adapter.Layers.Values)
            {
                if (_layers.TryGetValue(layer.Name, out var linear))
                {
                    var device = linear.Weight.device;
                    var a = layer.A.to(device).DetachFromDisposeScope();
                    var b = layer.B.to(device).DetachFromDisposeScope();
                    bound[linear] = new BoundLoraLayer(layer.Name, a, b, adapter.Scaling(layer, 1.0), layer.Rank);
                }
            }
        }
        catch
        {
            foreach (var layer in bound.Values)
            {
                layer.Dispose();
            }

            throw;
        }

        return new BoundLoraAdapter(adapter, this, bound);
    }
}
