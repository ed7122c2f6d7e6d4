using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>Gated GELU feed-forward (keys wi_0, wi_1, wo): wo(gelu_new(wi_0 x) * wi_1 x).</summary>
public sealed class Umt5FeedForward : nn.Module<Tensor, Tensor>
{
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2.0 / Math.PI);

    private readonly Linear _wi0;
    private readonly Linear _wi1;
    private readonly Linear _wo;

    public Umt5FeedForward(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5FeedForward))
    {
        _wi0 = nn.Linear(config.DModel, config.DFf, hasBias: false, device: device, dtype: dtype);
        _wi1 = nn.Linear(config.DModel, config.DFf, hasBias: false, device: device, dtype: dtype);
        _wo = nn.Linear(config.DFf, config.DModel, hasBias: false, device: device, dtype: dtype);
        register_module("wi_0", _wi0);
        register_module("wi_1", _wi1);
        register_module("wo", _wo);
    }

    /// <summary>transformers' gelu_new written out (the fused tanh GELU rounds differently in float32).</summary>
    public static Tensor GeluNew(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var inner = (x + (torch.pow(x, 3.0) * 0.044715)) * SqrtTwoOverPi;
        return (x * 0.5 * (torch.tanh(inner) + 1.0)).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var gated = GeluNew(_wi0.forward(input)) * _wi1.forward(input);
        if (gated.dtype != _wo.weight!.dtype)
        {
            gated = gated.to(_wo.weight.dtype);
        }

        return _wo.forward(gated).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
