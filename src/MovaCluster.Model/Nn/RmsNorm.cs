using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>
/// torch.nn.RMSNorm over the last dimension: x·rsqrt(mean(x²)+eps)·w, computed in float32 and rounded once to the
/// input dtype (SPEC 7.4). Key <c>weight</c> [dim].
/// </summary>
public sealed class RmsNorm : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly Parameter _weight;
    private readonly double _eps;

    public RmsNorm(long dim, double eps, ParameterFactory factory)
        : base(nameof(RmsNorm))
    {
        _eps = eps;
        _weight = factory.Create("weight", dim);
        register_parameter("weight", _weight);
    }

    public override torch.Tensor forward(torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.dtype == torch.ScalarType.Float32 ? input : input.to(torch.ScalarType.Float32);
        var normalized = x * torch.rsqrt(x.square().mean([-1L], keepdim: true).add_(_eps));
        var weight = _weight.dtype == torch.ScalarType.Float32 ? (torch.Tensor)_weight : _weight.to(torch.ScalarType.Float32);
        var result = normalized.mul_(weight);
        return (result.dtype == input.dtype ? result : result.to(input.dtype)).MoveToOuterDisposeScope();
    }
}
