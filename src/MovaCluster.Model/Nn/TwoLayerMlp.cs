using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>
/// nn.Sequential(Linear, activation, Linear): checkpoint keys <c>0.*</c> and <c>2.*</c> (the activation is index 1).
/// Used for <c>ffn</c>, <c>text_embedding</c> and <c>time_embedding</c>.
/// </summary>
public sealed class TwoLayerMlp : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly Linear _first;
    private readonly Linear _second;
    private readonly Activation _activation;

    public TwoLayerMlp(long inFeatures, long hidden, long outFeatures, Activation activation, ParameterFactory factory)
        : base(nameof(TwoLayerMlp))
    {
        _activation = activation;
        _first = new Linear(inFeatures, hidden, factory.Child("0"));
        _second = new Linear(hidden, outFeatures, factory.Child("2"));
        register_module("0", _first);
        register_module("2", _second);
    }

    public Linear First => _first;

    public override torch.Tensor forward(torch.Tensor input)
    {
        using var hidden = _first.forward(input);
        using var activated = _activation == Activation.GeluTanh
            ? torch.nn.functional.gelu(hidden, GELU.Approximate.tanh)
            : torch.nn.functional.silu(hidden);
        return _second.forward(activated);
    }
}
