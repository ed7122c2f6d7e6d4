using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Lora;

/// <summary>
/// The LoRA state of one <see cref="LoraTargets"/> (a whole denoiser, or one device's layer range), used from the
/// thread that runs those layers. Two ways to apply a job's <see cref="LoraSet"/>:
/// <list type="bullet">
/// <item><see cref="Activate(LoraSet)"/>: unmerged, per forward; a batch may mix sets by row segment.</item>
/// <item><see cref="Merge"/>: W ← W + B A·scaling folded into the weights for a worker that runs one set for a while;
/// <see cref="Restore"/> puts back copies of the original tensors, so the base weights come back bit for bit.</item>
/// </list>
/// While a set is merged, every forward through these layers computes with it, and activations accept only that set.
/// </summary>
public sealed class LoraRuntime
{
    private readonly Dictionary<Linear, torch.Tensor> _backups = new(ReferenceEqualityComparer.Instance);
    private readonly torch.Device _backupDevice;
    private LoraActivation? _active;

    /// <summary>
    /// <paramref name="backupDevice"/> holds the original weights while a set is merged: the CPU by default, so a GPU
    /// spends no memory on them (a restore then copies them back over the bus); pass the layers' device to restore
    /// faster at the cost of a second copy of every merged weight there.
    /// </summary>
    public LoraRuntime(LoraTargets targets, torch.Device? backupDevice = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Targets = targets;
        _backupDevice = backupDevice ?? torch.CPU;
    }

    public LoraTargets Targets { get; }

    /// <summary>The set folded into the weights, or null when they are the base weights.</summary>
    public LoraSet? Merged { get; private set; }

    /// <summary>Bytes of the original weights kept for <see cref="Restore"/>.</summary>
    public long BackupBytes => _backups.Values.Sum(t => t.numel() * t.ElementSize);

    /// <summary>Applies <paramref name="set"/> unmerged to the whole batch of every forward until the activation is disposed.</summary>
    public LoraActivation Activate(LoraSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Activate([LoraBatchSegment.WholeBatch(set)]);
    }

    /// <summary>
    /// Applies each segment's set unmerged to its rows of every forward until the activation is disposed. With a set
    /// merged, every segment must run that set (its rows then need no extra terms).
    /// </summary>
    public LoraActivation Activate(IReadOnlyList<LoraBatchSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (_active is not null)
        {
            throw new InvalidOperationException("Another LoRA activation is in force on these layers; dispose it first.");
        }

        CheckSegments(segments);
        var deltas = new Dictionary<Linear, LoraLinearDelta>(ReferenceEqualityComparer.Instance);
        var order = new List<Linear>();
        var adapters = new List<BoundLoraAdapter>();
        foreach (var segment in segments)
        {
            if (Merged is not null)
            {
                if (!segment.Set.Equals(Merged))
                {
                    throw new InvalidOperationException($"The weights hold the merged set {Merged}; rows running {segment.Set} need Restore() first.");
                }

                continue;
            }

            foreach (var entry in segment.Set.Entries)
            {
                CheckTargets(entry.Adapter);
                adapters.Add(entry.Adapter);
                foreach (var (linear, layer) in entry.Adapter.Layers)
                {
                    if (!deltas.TryGetValue(linear, out var delta))
                    {
                        delta = new LoraLinearDelta();
                        deltas[linear] = delta;
                        order.Add(linear);
                    }

                    delta.Add(segment.FirstRow, segment.RowCount, layer, layer.Scaling(entry.Strength));
                }
            }
        }

        if (order.FirstOrDefault(l => l.Lora is not null) is { } taken)
        {
            throw new InvalidOperationException(
                $"Layer {Targets.Layers.First(p => ReferenceEquals(p.Value, taken)).Key} already carries an activation of another LoRA runtime; one runtime per set of layers.");
        }

        foreach (var adapter in adapters)
        {
            adapter.Acquire();
        }

        foreach (var linear in order)
        {
            linear.Lora = deltas[linear];
        }

        _active = new LoraActivation(this, order, adapters);
        return _active;
    }

    /// <summary>
    /// Folds <paramref name="set"/> into the weights as the official <c>merge_weights</c> does (W + (B @ A)·scaling,
    /// the product in the adapter's dtype, the sum stored in the weight's dtype), adapters in order. A different set
    /// already merged is restored first; the same set is left as it is.
    /// </summary>
    public void Merge(LoraSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (_active is not null)
        {
            throw new InvalidOperationException("A LoRA activation is in force on these layers; dispose it before merging.");
        }

        if (set.Equals(Merged))
        {
            return;
        }

        if (Merged is not null)
        {
            Restore();
        }

        if (set.IsEmpty)
        {
            return;
        }

        foreach (var entry in set.Entries)
        {
            CheckTargets(entry.Adapter);
        }

        using var noGrad = torch.no_grad();
        var acquired = new List<BoundLoraAdapter>();
        try
        {
            foreach (var entry in set.Entries)
            {
                entry.Adapter.Acquire();
                acquired.Add(entry.Adapter);
                foreach (var (linear, layer) in entry.Adapter.Layers)
                {
                    if (!_backups.ContainsKey(linear))
                    {
                        _backups[linear] = linear.Weight.to(_backupDevice, copy: true).DetachFromDisposeScope();
                    }

                    using var scope = torch.NewDisposeScope();
                    // Out of place like the official (B @ A) * scaling: an in-place scalar multiply would round the
                    // scaling to a bfloat16 adapter's dtype first.
                    var delta = layer.B.matmul(layer.A).mul(layer.Scaling(entry.Strength));
                    linear.Weight.add_(delta);
                }
            }

            Merged = set;
        }
        catch
        {
            RestoreWeights();
            acquired.ForEach(a => a.Release());
            throw;
        }
    }

    /// <summary>Puts the original weights back (bit-identical) and forgets the merged set; nothing happens when none is merged.</summary>
    public void Restore()
    {
        if (Merged is null)
        {
            return;
        }

        RestoreWeights();
        foreach (var entry in Merged.Entries)
        {
            entry.Adapter.Release();
        }

        Merged = null;
    }

    internal void Ended(LoraActivation activation)
    {
        if (ReferenceEquals(_active, activation))
        {
            _active = null;
        }
    }

    private void RestoreWeights()
    {
        using var noGrad = torch.no_grad();
        foreach (var (linear, backup) in _backups)
        {
            linear.Weight.copy_(backup);
            backup.Dispose();
        }

        _backups.Clear();
    }

    private void CheckTargets(BoundLoraAdapter adapter)
    {
        if (!ReferenceEquals(adapter.Targets, Targets))
        {
            throw new ArgumentException($"LoRA adapter {adapter.Source} is bound to other layers than this runtime's.", nameof(adapter));
        }
    }

    private static void CheckSegments(IReadOnlyList<LoraBatchSegment> segments)
    {
        var ordered = segments.OrderBy(s => s.FirstRow).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var segment = ordered[i] ?? throw new ArgumentException("A batch segment is null.", nameof(segments));
            ArgumentNullException.ThrowIfNull(segment.Set, nameof(segments));
            if (segment.FirstRow < 0 || segment.RowCount is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(segments), $"Batch segment at row {segment.FirstRow} with {segment.RowCount} rows is invalid.");
            }

            if (i + 1 < ordered.Count && (segment.RowCount is null || segment.FirstRow + segment.RowCount > ordered[i + 1].FirstRow))
            {
                throw new ArgumentException($"Batch segments overlap at row {ordered[i + 1].FirstRow}.", nameof(segments));
            }
        }
    }
}
