using TorchSharp;

namespace MovaCluster.Codecs.Benchmarks;

/// <summary>Small random weights (N(0, 0.02²); norm gains and snake alphas at 1) so benchmarks run realistic data.</summary>
internal static class RandomWeights
{
    public static T Fill<T>(T module)
        where T : torch.nn.Module
    {
        using var noGrad = torch.no_grad();
        using var generator = new torch.Generator(11);
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (name.EndsWith("gamma", StringComparison.Ordinal) || name.EndsWith("alpha", StringComparison.Ordinal))
            {
                parameter.fill_(1.0);
            }
            else
            {
                using var values = torch.randn(parameter.shape, generator: generator) * 0.02;
                parameter.copy_(values);
            }
        }

        return module;
    }
}
