using TorchSharp;

namespace MovaCluster.Model.Nn;

/// <summary>
/// Fills every parameter of a module with seeded N(0, std²) values (norm weights with 1 + N(0, std²)), for
/// checkpoint-free tests and benchmarks. Real runs load weights through the checkpoint loader instead.
/// </summary>
public static class RandomWeights
{
    public static void Fill(torch.nn.Module module, long seed, double std = 0.05)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            using var values = torch.randn(parameter.shape, torch.ScalarType.Float32, generator: generator).mul_(std);
            if (name.Contains("norm", StringComparison.Ordinal) && parameter.dim() == 1)
            {
                values.add_(1.0);
            }

            parameter.copy_(values);
        }
    }

    /// <summary>
    /// Fills every parameter with seeded values scaled to keep activations near unit size at any width: matrices and
    /// kernels N(0, 1/fan_in) with fan_in = elements per output row, norm weights and Snake alphas 1, other vectors
    /// N(0, 0.02²). Used for the tiny random-weights MOVA, whose towers must stay finite through a CFG loop.
    /// </summary>
    public static void FillFanIn(torch.nn.Module module, long seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            var leaf = name[(name.LastIndexOf('.') + 1)..];
            if (leaf == "alpha" || (parameter.dim() == 1 && name.Contains("norm", StringComparison.Ordinal) && leaf == "weight"))
            {
                parameter.fill_(1.0);
                continue;
            }

            using var values = torch.randn(parameter.shape, torch.ScalarType.Float32, generator: generator);
            var std = parameter.dim() >= 2 ? 1.0 / Math.Sqrt(Math.Max(1, parameter.numel() / parameter.shape[0])) : 0.02;
            parameter.copy_(values.mul_(std));
        }
    }
}
