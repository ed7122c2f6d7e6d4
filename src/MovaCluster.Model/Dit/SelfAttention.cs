using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>
/// Tower self-attention: q/k RMS-normalised over the full width, then complex RoPE per head, SDPA, output
/// projection. Keys q, k, v, o, norm_q, norm_k.
/// </summary>
public sealed class SelfAttention : NormalizedAttention
{
    public SelfAttention(int dim, int heads, double eps, ParameterFactory factory)
        : base(nameof(SelfAttention), dim, dim, heads, eps, factory)
    {
    }

    /// <summary>x [B, L, D], freqs [L, 1, headDim/2] complex128.</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor freqs)
    {
        using var scope = torch.NewDisposeScope();
        var headDim = (int)(x.shape[2] / Heads);
        var (q, k, v) = Project(x, x);
        q = RotaryTables.Apply(q, freqs, headDim);
        k = RotaryTables.Apply(k, freqs, headDim);
        return O.forward(MultiHeadAttention.Compute(q, k, v, Heads)).MoveToOuterDisposeScope();
    }
}
