using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Bridge;

/// <summary>One bridge conditioner: affine LayerNorm on the condition stream (<c>y_norm</c>), then <c>inner</c>.</summary>
public sealed class ConditionalCrossAttentionBlock : ExplicitModule
{
    private readonly LayerNorm _yNorm;
    private readonly ConditionalCrossAttention _inner;

    public ConditionalCrossAttentionBlock(int dim, int kvDim, int heads, ParameterFactory factory)
        : base(nameof(ConditionalCrossAttentionBlock))
    {
        _yNorm = new LayerNorm(kvDim, ConditionalCrossAttention.Eps, affine: true, factory.Child("y_norm"));
        _inner = new ConditionalCrossAttention(dim, kvDim, heads, factory.Child("inner"));
        register_module("y_norm", _yNorm);
        register_module("inner", _inner);
    }

    /// <summary>The conditioner output (before the condition scale) for primary x and condition y.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor y, (torch.Tensor Cos, torch.Tensor Sin)? xRope, (torch.Tensor Cos, torch.Tensor Sin)? yRope)
    {
        using var normalized = _yNorm.forward(y);
        return _inner.Forward(x, normalized, xRope, yRope);
    }
}
