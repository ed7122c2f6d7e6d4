using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>
/// Tower self-attention: q/k RMS-normalised over the full width, then complex RoPE per head, SDPA, output
/// projection. Keys q, k, v, o, norm_q, norm_k.
/// </summary>
public sealed class SelfAttention : ExplicitModule
{
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly RmsNorm _normQ;
    private readonly RmsNorm _normK;
    private readonly int _heads;

    public SelfAttention(int dim, int heads, double eps, ParameterFactory factory)
        : base(nameof(SelfAttention))
    {
        _heads = heads;
        _q = new Linear(dim, dim, factory.Child("q"));
        _k = new Linear(dim, dim, factory.Child("k"));
        _v = new Linear(dim, dim, factory.Child("v"));
        _o = new Linear(dim, dim, factory.Child("o"));
        _normQ = new RmsNorm(dim, eps, factory.Child("norm_q"));
        _normK = new RmsNorm(dim, eps, factory.Child("norm_k"));
        register_module("q", _q);
        register_module("k", _k);
        register_module("v", _v);
        register_module("o", _o);
        register_module("norm_q", _normQ);
        register_module("norm_k", _normK);
    }

    /// <summary>x [B, L, D], freqs [L, 1, headDim/2] complex128.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor freqs)
    {
        using var scope = torch.NewDisposeScope();
        var headDim = (int)(x.shape[2] / _heads);
        var q = RotaryTables.Apply(_normQ.forward(_q.forward(x)), freqs, headDim);
        var k = RotaryTables.Apply(_normK.forward(_k.forward(x)), freqs, headDim);
        var v = _v.forward(x);
        return _o.forward(MultiHeadAttention.Compute(q, k, v, _heads)).MoveToOuterDisposeScope();
    }
}
