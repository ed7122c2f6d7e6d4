using TorchSharp;

namespace MovaCluster.Model.Nn;

/// <summary>nn.Sequential(SiLU, Linear): checkpoint keys <c>1.*</c> (the time projection).</summary>
public sealed class SiluLinear : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly Linear _linear;

    public SiluLinear(long inFeatures, long outFeatures, ParameterFactory factory)
        : base(nameof(SiluLinear))
    {
        _linear = new Linear(inFeatures, outFeatures, factory.Child("1"));
        register_module("1", _linear);
    }

    public override torch.Tensor forward(torch.Tensor input)
    {
        using var activated = torch.nn.functional.silu(input);
        return _linear.forward(activated);
    }
}
