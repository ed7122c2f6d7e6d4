using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary><c>layer.0</c> of a UMT5 block: h + SelfAttention(layer_norm(h)).</summary>
public sealed class Umt5SelfAttentionLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Umt5Attention _attention;
    private readonly T5LayerNorm _norm;

    public Umt5SelfAttentionLayer(Umt5Config config, Device device, ScalarType dtype)
        : base(nameof(Umt5SelfAttentionLayer))
    {
        _attention = new Umt5Attention(config, device, dtype);
        _norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon, device, dtype);
        register_module("SelfAttention", _attention);
        register_module("layer_norm", _norm);
    }

    public Umt5Attention Attention => _attention;

    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = torch.NewDisposeScope();
        return (hidden + _attention.forward(_norm.forward(hidden), maskBias)).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
