using MovaCluster.Model.Nn;

namespace MovaCluster.Model.Lora;

/// <summary>
/// An adapter bound to one <see cref="LoraTargets"/>: its matrices on the devices of the layers they adapt. It is
/// what a job's <see cref="LoraSet"/> names. It cannot be disposed while an activation or a merge uses it.
/// </summary>
public sealed class BoundLoraAdapter : IDisposable
{
    private readonly Dictionary<Linear, BoundLoraLayer> _layers;
    private int _uses;
    private bool _disposed;

    internal BoundLoraAdapter(LoraAdapter adapter, LoraTargets targets, Dictionary<Linear, BoundLoraLayer> layers)
    {
        Source = adapter.Source;
        Digest = adapter.Digest;
        Alpha = adapter.Alpha;
        Targets = targets;
        _layers = layers;
    }

    /// <summary>The adapter's file or folder.</summary>
    public string Source { get; }

    /// <summary>The adapter's content digest (<see cref="LoraAdapter.Digest"/>).</summary>
    public string Digest { get; }

    public double Alpha { get; }

    /// <summary>The layer set it is bound to.</summary>
    public LoraTargets Targets { get; }

    /// <summary>Names of the layers bound here.</summary>
    public IEnumerable<string> LayerNames => _layers.Values.Select(l => l.Name);

    public int LayerCount => _layers.Count;

    /// <summary>Bytes of the bound matrices (device memory where the layers live on a device).</summary>
    public long Bytes => _layers.Values.Sum(l => l.Bytes);

    /// <summary>True while an activation or a merge uses it.</summary>
    public bool InUse => Volatile.Read(ref _uses) > 0;

    internal IReadOnlyDictionary<Linear, BoundLoraLayer> Layers
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _layers;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (InUse)
        {
            throw new InvalidOperationException($"LoRA adapter {Source} is still active or merged; end that first.");
        }

        _disposed = true;
        foreach (var layer in _layers.Values)
        {
            layer.Dispose();
        }
    }

    internal void Acquire()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _uses);
    }

    internal void Release() => Interlocked.Decrement(ref _uses);
}
