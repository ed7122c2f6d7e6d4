using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>
/// Copies checkpoint tensors into module parameters by exact state-dict key. Each tensor is read from the
/// memory mapping, converted to the destination parameter's dtype and device (the module was built with the
/// dtype policy and device it should run with) and released before the next one, so peak extra memory is one
/// tensor, not one checkpoint.
/// </summary>
public static class CheckpointLoader
{
    /// <summary>
    /// Strictly loads every parameter and persistent buffer of <paramref name="module"/>; any missing or unexpected
    /// key or shape mismatch throws <see cref="CheckpointMismatchException"/> before anything is copied.
    /// </summary>
    public static void Load(torch.nn.Module module, SafetensorsCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(module);
        Load(module.state_dict(), checkpoint, allowUnusedCheckpointKeys: false);
    }

    /// <summary>
    /// Loads the given destination tensors, keyed by checkpoint key. With <paramref name="allowUnusedCheckpointKeys"/>
    /// (used by layer-range shards) checkpoint keys outside <paramref name="targets"/> are ignored; missing keys
    /// always fail.
    /// </summary>
    public static void Load(IReadOnlyDictionary<string, torch.Tensor> targets, SafetensorsCheckpoint checkpoint, bool allowUnusedCheckpointKeys)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(checkpoint);

        var missing = targets.Keys.Where(k => !checkpoint.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = allowUnusedCheckpointKeys
            ? []
            : checkpoint.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = new List<string>();
        foreach (var (key, target) in targets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!checkpoint.Contains(key))
            {
                continue;
            }

            var stored = checkpoint.GetInfo(key).Shape;
            if (!stored.SequenceEqual(target.shape))
            {
                shapes.Add($"{key}: checkpoint [{string.Join(", ", stored)}] vs module [{string.Join(", ", target.shape)}]");
            }
        }

        if (missing.Count > 0 || unexpected.Count > 0 || shapes.Count > 0)
        {
            throw new CheckpointMismatchException(checkpoint.Source, missing, unexpected, shapes);
        }

        using var noGrad = torch.no_grad();
        foreach (var (key, target) in targets)
        {
            using var source = checkpoint.Read(key);
            target.copy_(source);
        }
    }
}
