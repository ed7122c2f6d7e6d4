using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>Text cross-attention (no RoPE, no mask). Keys q, k, v, o, norm_q, norm_k.</summary>
public sealed class CrossAttention : NormalizedAttention
{
    public CrossAttention(int dim, int heads, double eps, ParameterFactory factory)
        : base(nameof(CrossAttention), dim, dim, heads, eps, factory)
    {
    }

    /// <summary>x [B, L, D], context [B, Lc, D] (already text-embedded).</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor context)
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Project(x, context);
        return O.forward(MultiHeadAttention.Compute(q, k, v, Heads)).MoveToOuterDisposeScope();
    }
}
