namespace MovaCluster.Model.Caching;

/// <summary>
/// How the block cache splits one pass over the interleaved stack (video depth D, audio-bearing layers [0, S)): layers
/// [0, F) are always computed and their residual is the signal; the last <see cref="CacheSettings.LastLayers"/> layers of
/// each tower ([S − B, S) for the audio tower with its bridge layers, [D − B, D) for the video tower) are always computed;
/// the runs in between are <see cref="LayerSpan.Cached"/>. For MOVA (D 40, S 30) with F 2, B 1 that is computed
/// [0, 2), 29, 39 and cached [2, 29), [30, 39).
/// </summary>
public sealed class CacheLayout
{
    private CacheLayout(int layerCount, int sharedLayerCount, int signalLayers, IReadOnlyList<LayerSpan> spans)
    {
        LayerCount = layerCount;
        SharedLayerCount = sharedLayerCount;
        SignalLayers = signalLayers;
        Spans = spans;
    }

    public int LayerCount { get; }

    public int SharedLayerCount { get; }

    /// <summary>Layers [0, SignalLayers) whose residual decides the block cache (0 when there is nothing to cache).</summary>
    public int SignalLayers { get; }

    /// <summary>Consecutive spans covering [0, LayerCount); the first is the signal range when <see cref="HasCachedSpans"/>.</summary>
    public IReadOnlyList<LayerSpan> Spans { get; }

    public bool HasCachedSpans => SignalLayers > 0;

    /// <summary>Layers a pass computes when it reuses the cached spans.</summary>
    public int LayersComputedWhenReused => Spans.Where(s => !s.Cached).Sum(s => s.Count);

    /// <summary>The layout for a stack of <paramref name="layerCount"/> layers, the first <paramref name="sharedLayerCount"/> with audio blocks.</summary>
    public static CacheLayout For(int layerCount, int sharedLayerCount, int firstLayers, int lastLayers, bool blockLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(sharedLayerCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sharedLayerCount, layerCount);
        var whole = new CacheLayout(layerCount, sharedLayerCount, 0, [new LayerSpan(0, layerCount, false, sharedLayerCount > 0)]);
        var first = Math.Min(firstLayers, layerCount);
        if (!blockLevel || first < 1)
        {
            return whole;
        }

        bool Computed(int layer) =>
            layer < first
            || (layer >= sharedLayerCount - lastLayers && layer < sharedLayerCount)
            || layer >= layerCount - lastLayers;

        var spans = new List<LayerSpan> { new(0, first, false, sharedLayerCount > 0) };
        var start = first;
        for (var layer = first + 1; layer <= layerCount; layer++)
        {
            if (layer == layerCount || Computed(layer) != Computed(start))
            {
                spans.Add(new LayerSpan(start, layer, !Computed(start), start < sharedLayerCount));
                start = layer;
            }
        }

        return spans.Any(s => s.Cached) ? new CacheLayout(layerCount, sharedLayerCount, first, spans) : whole;
    }
}
