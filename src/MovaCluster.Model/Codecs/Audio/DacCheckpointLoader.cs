using MovaCluster.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// Strict DAC loading with weight-norm folding. A conv weight may be stored as <c>X.weight</c>, as legacy
/// <c>X.weight_g</c> + <c>X.weight_v</c>, or as <c>X.parametrizations.weight.original0</c> (g) + <c>original1</c> (v);
/// the effective weight is v · (g / ‖v‖) with the norm over every dim except 0 (per output channel for Conv1d, per
/// input channel for ConvTranspose1d, whose weight is [in, out, k]). Folding runs in float32. The encoder and
/// quant_conv (training only) are the only keys allowed to stay unused.
/// </summary>
public static class DacCheckpointLoader
{
    private static readonly string[] UnusedPrefixes = ["encoder.", "quant_conv."];

    public static void Load(nn.Module module, SafetensorsCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var targets = module.state_dict();
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var shapes = new List<string>();
        var plan = new List<(Tensor Target, Func<Tensor> Source)>();

        foreach (var (key, target) in targets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var source = Resolve(key, checkpoint, consumed);
            if (source is null)
            {
                missing.Add(key);
                continue;
            }

            if (!source.Value.Shape.SequenceEqual(target.shape))
            {
                shapes.Add($"{key}: checkpoint [{string.Join(", ", source.Value.Shape)}] vs module [{string.Join(", ", target.shape)}]");
                continue;
            }

            plan.Add((target, source.Value.Read));
        }

        var unexpected = checkpoint.Keys
            .Where(k => !consumed.Contains(k) && !UnusedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || shapes.Count > 0)
        {
            throw new CheckpointMismatchException(checkpoint.Source, missing, unexpected, shapes);
        }

        using var noGrad = torch.no_grad();
        foreach (var (target, read) in plan)
        {
            using var value = read();
            target.copy_(value);
        }
    }

    /// <summary>Folds g and v into the effective weight: v · (g / ‖v‖), norm over all dims but 0.</summary>
    public static Tensor FoldWeightNorm(Tensor g, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(v);
        using var scope = torch.NewDisposeScope();
        var v32 = v.to(ScalarType.Float32);
        long[] normShape = [v.shape[0], .. Enumerable.Repeat(1L, (int)v.dim() - 1)];
        var norm = v32.contiguous().view(v.shape[0], -1).norm(1, false, 2f).view(normShape);
        return (v32 * (g.to(ScalarType.Float32) / norm)).MoveToOuterDisposeScope();
    }

    private static (long[] Shape, Func<Tensor> Read)? Resolve(string key, SafetensorsCheckpoint checkpoint, HashSet<string> consumed)
    {
        if (checkpoint.Contains(key))
        {
            consumed.Add(key);
            return (checkpoint.GetInfo(key).Shape.ToArray(), () => checkpoint.Read(key));
        }

        if (!key.EndsWith(".weight", StringComparison.Ordinal))
        {
            return null;
        }

        string stem = key[..^".weight".Length];
        foreach (var (gKey, vKey) in new[]
        {
            ($"{stem}.weight_g", $"{stem}.weight_v"),
            ($"{stem}.parametrizations.weight.original0", $"{stem}.parametrizations.weight.original1"),
        })
        {
            if (checkpoint.Contains(gKey) && checkpoint.Contains(vKey))
            {
                consumed.Add(gKey);
                consumed.Add(vKey);
                return (checkpoint.GetInfo(vKey).Shape.ToArray(), () =>
                {
                    using var g = checkpoint.Read(gKey);
                    using var v = checkpoint.Read(vKey);
                    return FoldWeightNorm(g, v);
                });
            }
        }

        return null;
    }
}
