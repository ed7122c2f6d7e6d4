using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// Random weights made where they live: each parameter (already allocated on the device by the model's
/// ParameterFactory with torch.empty, in its policy dtype) is filled in place by the device's own generator, so 37 GB
/// of bf16 weights need no checkpoint, no host memory and well under a second of GPU time. Matrices and kernels get
/// N(0, 1/fan_in) (fan_in = elements per output row), norm weights 1, other vectors N(0, 0.02²): activations stay
/// near unit size through 40 layers, as with the tiny model's <c>RandomWeights.FillFanIn</c>, which fills on the cpu.
/// </summary>
internal static class DeviceRandomInit
{
    public static long Fill(torch.nn.Module module, ulong seed, torch.Device device)
    {
        using var generator = new torch.Generator(seed, device);
        using var noGrad = torch.no_grad();
        long elements = 0;
        foreach (var (name, parameter) in module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            var leaf = name[(name.LastIndexOf('.') + 1)..];
            if (parameter.dim() == 1 && name.Contains("norm", StringComparison.Ordinal) && leaf == "weight")
            {
                parameter.fill_(1.0);
            }
            else
            {
                var std = parameter.dim() >= 2 ? 1.0 / Math.Sqrt(Math.Max(1, parameter.numel() / parameter.shape[0])) : 0.02;
                parameter.normal_(0, std, generator);
            }

            elements += parameter.numel();
        }

        return elements;
    }
}
