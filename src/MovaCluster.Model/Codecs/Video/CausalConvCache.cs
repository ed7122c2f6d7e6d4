using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Per-call streaming state of the video VAE: for each causal conv the last input frames it has seen, and for the
/// temporal resamplers whether the first chunk has passed. Owns its tensors (kept outside dispose scopes).
/// </summary>
public sealed class CausalConvCache : IDisposable
{
    private readonly Dictionary<object, Tensor> _frames = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _started = new(ReferenceEqualityComparer.Instance);

    public Tensor? Get(object owner) => _frames.TryGetValue(owner, out var t) ? t : null;

    /// <summary>Stores a detached copy of <paramref name="frames"/> for <paramref name="owner"/>, releasing the previous one.</summary>
    public void Set(object owner, Tensor frames)
    {
        var copy = frames.detach().clone().DetachFromDisposeScope();
        if (_frames.Remove(owner, out var previous))
        {
            previous.Dispose();
        }

        _frames[owner] = copy;
    }

    /// <summary>True once for each owner: whether this is its first chunk.</summary>
    public bool IsFirstChunk(object owner) => _started.Add(owner);

    /// <summary>Bytes held by cached frames (for memory measurements).</summary>
    public long Bytes => _frames.Values.Sum(t => t.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        foreach (var tensor in _frames.Values)
        {
            tensor.Dispose();
        }

        _frames.Clear();
        _started.Clear();
    }
}
