using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>LayerNorm over the last dimension; with <c>affine</c> it has keys <c>weight</c> and <c>bias</c>, else none.</summary>
public sealed class LayerNorm : ExplicitModule<torch.Tensor, torch.Tensor>
{
    private readonly long[] _shape;
    private readonly double _eps;
    private readonly Parameter? _weight;
    private readonly Parameter? _bias;

    public LayerNorm(long dim, double eps, bool affine, ParameterFactory factory)
        : base(nameof(LayerNorm))
    {
        _shape = [dim];
        _eps = eps;
        if (affine)
        {
            _weight = factory.Create("weight", dim);
            _bias = factory.Create("bias", dim);
            register_parameter("weight", _weight);
            register_parameter("bias", _bias);
        }
    }

    public override torch.Tensor forward(torch.Tensor input) =>
        torch.nn.functional.layer_norm(input, _shape, _weight, _bias, _eps);
}
