using MovaCluster.Model.Nn;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;

namespace MovaCluster.Model.Dit;

/// <summary>
/// Output head: non-affine LayerNorm modulated by head.modulation + the time embedding (not t_mod), then a
/// linear to out_dim·prod(patch). The shift/scale are formed per sample (the official video head only does that
/// right for B = 1; NUMERICS 21). Keys head.*, modulation.
/// </summary>
public sealed class Head : ExplicitModule
{
    private readonly LayerNorm _norm;
    private readonly Linear _head;
    private readonly Parameter _modulation;

    public Head(int dim, int outFeatures, double eps, ParameterFactory factory)
        : base(nameof(Head))
    {
        _norm = new LayerNorm(dim, eps, affine: false, factory.Child("norm"));
        _head = new Linear(dim, outFeatures, factory.Child("head"));
        _modulation = factory.Create("modulation", 1, 2, dim);
        register_module("norm", _norm);
        register_module("head", _head);
        register_parameter("modulation", _modulation);
    }

    /// <summary>x [B, L, D], t [B, D] (time embedding output).</summary>
    public torch.Tensor Forward(torch.Tensor x, torch.Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var modulation = _modulation.to(t.dtype, t.device) + t.unsqueeze(1);
        var parts = modulation.chunk(2, 1);
        var normalized = _norm.forward(x).mul_(parts[1] + 1).add_(parts[0]);
        return _head.forward(normalized).MoveToOuterDisposeScope();
    }
}
