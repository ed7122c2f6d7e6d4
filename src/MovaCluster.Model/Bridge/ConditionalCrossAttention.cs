using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Bridge;

/// <summary>
/// Cross-modal attention of one bridge conditioner (key prefix <c>inner</c>): q from the raw primary stream,
/// k/v from the normalised condition stream, full-width RMSNorm on q and k, optional rotate-half RoPE, SDPA.
/// </summary>
public sealed class ConditionalCrossAttention : NormalizedAttention
{
    // The official block is built without the config eps, so its norms always use 1e-6 (NUMERICS 19).
    internal const double Eps = 1e-6;

    private readonly int _headDim;

    public ConditionalCrossAttention(int dim, int kvDim, int heads, ParameterFactory factory)
        : base(nameof(ConditionalCrossAttention), dim, kvDim, heads, Eps, factory)
    {
        _headDim = dim / heads;
    }

    /// <summary>x [B, Lx, dim], y [B, Ly, kv_dim] (normalised); ropes (cos, sin) [1, L, headDim] or null.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor y, (torch.Tensor Cos, torch.Tensor Sin)? xRope, (torch.Tensor Cos, torch.Tensor Sin)? yRope)
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Project(x, y);
        if (xRope is { } xr)
        {
            q = BridgeRotary.Apply(q, xr.Cos, xr.Sin, _headDim);
        }

        if (yRope is { } yr)
        {
            k = BridgeRotary.Apply(k, yr.Cos, yr.Sin, _headDim);
        }

        return O.forward(MultiHeadAttention.Compute(q, k, v, Heads)).MoveToOuterDisposeScope();
    }
}
