using MovaCluster.Model.Nn;

namespace MovaCluster.Model.Lora;

/// <summary>
/// Unmerged adapters in force on a <see cref="LoraRuntime"/>'s layers until disposed: every forward through those
/// layers on this thread adds the terms of the segment each batch row belongs to. Dispose it after the forward.
/// </summary>
public sealed class LoraActivation : IDisposable
{
    private readonly LoraRuntime _runtime;
    private readonly IReadOnlyList<Linear> _layers;
    private readonly IReadOnlyList<BoundLoraAdapter> _adapters;
    private bool _disposed;

    internal LoraActivation(LoraRuntime runtime, IReadOnlyList<Linear> layers, IReadOnlyList<BoundLoraAdapter> adapters)
    {
        _runtime = runtime;
        _layers = layers;
        _adapters = adapters;
    }

    /// <summary>Layers that carry terms in this activation.</summary>
    public int LayerCount => _layers.Count;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var layer in _layers)
        {
            layer.Lora = null;
        }

        foreach (var adapter in _adapters)
        {
            adapter.Release();
        }

        _runtime.Ended(this);
    }
}
