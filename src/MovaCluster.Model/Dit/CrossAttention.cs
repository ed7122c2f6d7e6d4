using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>Text cross-attention (no RoPE, no mask). Keys q, k, v, o, norm_q, norm_k.</summary>
public sealed class CrossAttention : ExplicitModule
{
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly RmsNorm _normQ;
    private readonly RmsNorm _normK;
    private readonly int _heads;

    public CrossAttention(int dim, int heads, double eps, ParameterFactory factory)
        : base(nameof(CrossAttention))
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

    /// <summary>x [B, L, D], context [B, Lc, D] (already text-embedded).</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor context)
    {
        using var scope = torch.NewDisposeScope();
        var q = _normQ.forward(_q.forward(x));
        var k = _normK.forward(_k.forward(context));
        var v = _v.forward(context);
        return _o.forward(MultiHeadAttention.Compute(q, k, v, _heads)).MoveToOuterDisposeScope();
    }
}
