using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>
/// T5's scale-only RMS norm: variance in float32, x * rsqrt(var + eps), cast to the weight dtype when that is
/// half precision, then multiplied by the weight (key <c>weight</c>).
/// </summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;
    private readonly Parameter _weight;

    public T5LayerNorm(long size, double eps, Device device, ScalarType dtype)
        : base(nameof(T5LayerNorm))
    {
        _eps = eps;
        _weight = new Parameter(torch.ones(size, dtype: dtype, device: device), requires_grad: false);
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var variance = input.to(ScalarType.Float32).pow(2).mean([-1L], keepdim: true);
        var normalized = input * torch.rsqrt(variance + _eps);
        if (_weight.dtype is ScalarType.BFloat16 or ScalarType.Float16)
        {
            normalized = normalized.to(_weight.dtype);
        }

        return (_weight * normalized).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
