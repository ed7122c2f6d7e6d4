namespace MovaCluster.Model.Caching;

/// <summary>Layers [Start, End) of the interleaved stack; <see cref="Cached"/> spans may be replaced by their residual.</summary>
public readonly record struct LayerSpan(int Start, int End, bool Cached, bool HasAudio)
{
    public int Count => End - Start;
}
