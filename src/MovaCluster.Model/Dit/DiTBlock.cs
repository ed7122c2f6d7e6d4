using MovaCluster.Model.Nn;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;

namespace MovaCluster.Model.Dit;

/// <summary>
/// The Wan DiT block shared by both towers: modulated self-attention (gated), affine-normed text cross-attention
/// (not gated), modulated GELU-tanh FFN (gated). Keys self_attn.*, cross_attn.*, norm3.*, ffn.0/2.*, modulation.
/// </summary>
public sealed class DiTBlock : ExplicitModule
{
    private readonly SelfAttention _selfAttention;
    private readonly CrossAttention _crossAttention;
    private readonly LayerNorm _norm1;
    private readonly LayerNorm _norm2;
    private readonly LayerNorm _norm3;
    private readonly TwoLayerMlp _ffn;
    private readonly Parameter _modulation;

    public DiTBlock(int dim, int heads, int ffnDim, double eps, ParameterFactory factory)
        : base(nameof(DiTBlock))
    {
        _selfAttention = new SelfAttention(dim, heads, eps, factory.Child("self_attn"));
        _crossAttention = new CrossAttention(dim, heads, eps, factory.Child("cross_attn"));
        _norm1 = new LayerNorm(dim, eps, affine: false, factory.Child("norm1"));
        _norm2 = new LayerNorm(dim, eps, affine: false, factory.Child("norm2"));
        _norm3 = new LayerNorm(dim, eps, affine: true, factory.Child("norm3"));
        _ffn = new TwoLayerMlp(dim, ffnDim, dim, Activation.GeluTanh, factory.Child("ffn"));
        _modulation = factory.Create("modulation", 1, 6, dim);
        register_module("self_attn", _selfAttention);
        register_module("cross_attn", _crossAttention);
        register_module("norm1", _norm1);
        register_module("norm2", _norm2);
        register_module("norm3", _norm3);
        register_module("ffn", _ffn);
        register_parameter("modulation", _modulation);
    }

    /// <summary>x [B, L, D], context [B, Lc, D], tMod [B, 6, D], freqs [L, 1, headDim/2] complex128.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor context, torch.Tensor tMod, torch.Tensor freqs)
    {
        using var scope = torch.NewDisposeScope();
        var modulation = _modulation.to(tMod.dtype, tMod.device) + tMod;
        var parts = modulation.chunk(6, 1);
        var (shiftMsa, scaleMsa, gateMsa, shiftMlp, scaleMlp, gateMlp) = (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);

        var attentionInput = _norm1.forward(x).mul_(scaleMsa + 1).add_(shiftMsa);
        x = x + gateMsa * _selfAttention.Forward(attentionInput, freqs);
        x = x + _crossAttention.Forward(_norm3.forward(x), context);
        var ffnInput = _norm2.forward(x).mul_(scaleMlp + 1).add_(shiftMlp);
        x = x + gateMlp * _ffn.forward(ffnInput);
        return x.MoveToOuterDisposeScope();
    }
}
