using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary><c>layer.1</c> of a UMT5 block: h + DenseReluDense(layer_norm(h)).</summary>
public sealed class Umt5FeedForwardLayer : nn.Module<Tensor, Tensor>
{
    private readonly Umt5FeedForward _feedForward;
    private readonly T5LayerNorm _norm;

    public Umt5FeedForwardLayer(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5FeedForwardLayer))
    {
        _feedForward = new Umt5FeedForward(config, device, dtype);
        _norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon, device, dtype);
        register_module("DenseReluDense", _feedForward);
        register_module("layer_norm", _norm);
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        return (hidden + _feedForward.forward(_norm.forward(hidden))).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
