using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Bridge;

/// <summary>
/// Cross-modal attention of one bridge conditioner (key prefix <c>inner</c>): q from the raw primary stream,
/// k/v from the normalised condition stream, full-width RMSNorm on q and k, optional rotate-half RoPE, SDPA.
/// </summary>
public sealed class ConditionalCrossAttention : ExplicitModule
{
    // The official block is built without the config eps, so its norms always use 1e-6 (NUMERICS 19).
    internal const double Eps = 1e-6;

    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly RmsNorm _normQ;
    private readonly RmsNorm _normK;
    private readonly int _heads;
    private readonly int _headDim;

    public ConditionalCrossAttention(int dim, int kvDim, int heads, ParameterFactory factory)
        : base(nameof(ConditionalCrossAttention))
    {
        _heads = heads;
        _headDim = dim / heads;
        _q = new Linear(dim, dim, factory.Child("q"));
        _k = new Linear(kvDim, dim, factory.Child("k"));
        _v = new Linear(kvDim, dim, factory.Child("v"));
        _o = new Linear(dim, dim, factory.Child("o"));
        _normQ = new RmsNorm(dim, Eps, factory.Child("norm_q"));
        _normK = new RmsNorm(dim, Eps, factory.Child("norm_k"));
        register_module("q", _q);
        register_module("k", _k);
        register_module("v", _v);
        register_module("o", _o);
        register_module("norm_q", _normQ);
        register_module("norm_k", _normK);
    }

    /// <summary>x [B, Lx, dim], y [B, Ly, kv_dim] (normalised); ropes (cos, sin) [1, L, headDim] or null.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor y, (torch.Tensor Cos, torch.Tensor Sin)? xRope, (torch.Tensor Cos, torch.Tensor Sin)? yRope)
    {
        using var scope = torch.NewDisposeScope();
        var q = _normQ.forward(_q.forward(x));
        var k = _normK.forward(_k.forward(y));
        var v = _v.forward(y);
        if (xRope is { } xr)
        {
            q = BridgeRotary.Apply(q, xr.Cos, xr.Sin, _headDim);
        }

        if (yRope is { } yr)
        {
            k = BridgeRotary.Apply(k, yr.Cos, yr.Sin, _headDim);
        }

        return _o.forward(MultiHeadAttention.Compute(q, k, v, _heads)).MoveToOuterDisposeScope();
    }
}
