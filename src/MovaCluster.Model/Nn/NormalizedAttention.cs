using TorchSharp;

namespace MovaCluster.Model.Nn;

/// <summary>
/// The projection set every MOVA attention shares: q, k, v, o (with bias) and q/k RMSNorm over the full width.
/// Keys q, k, v, o, norm_q, norm_k; keys and values may come from a stream of another width (<c>kvDim</c>).
/// </summary>
public abstract class NormalizedAttention : ExplicitModule
{
    protected NormalizedAttention(string name, int dim, int kvDim, int heads, double eps, ParameterFactory factory)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Heads = heads;
        Q = new Linear(dim, dim, factory.Child("q"));
        K = new Linear(kvDim, dim, factory.Child("k"));
        V = new Linear(kvDim, dim, factory.Child("v"));
        O = new Linear(dim, dim, factory.Child("o"));
        NormQ = new RmsNorm(dim, eps, factory.Child("norm_q"));
        NormK = new RmsNorm(dim, eps, factory.Child("norm_k"));
        register_module("q", Q);
        register_module("k", K);
        register_module("v", V);
        register_module("o", O);
        register_module("norm_q", NormQ);
        register_module("norm_k", NormK);
    }

    protected int Heads { get; }

    protected Linear Q { get; }

    protected Linear K { get; }

    protected Linear V { get; }

    protected Linear O { get; }

    protected RmsNorm NormQ { get; }

    protected RmsNorm NormK { get; }

    /// <summary>Normalised queries from <paramref name="x"/>, normalised keys and values from <paramref name="source"/>.</summary>
    protected (torch.Tensor Q, torch.Tensor K, torch.Tensor V) Project(torch.Tensor x, torch.Tensor source) =>
        (NormQ.forward(Q.forward(x)), NormK.forward(K.forward(source)), V.forward(source));
}
