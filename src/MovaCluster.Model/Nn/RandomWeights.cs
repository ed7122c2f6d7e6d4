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
}
