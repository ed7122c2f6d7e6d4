using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>Snake activation (key <c>alpha</c> [1, C, 1]): x + (1 / (alpha + 1e-9)) · sin(alpha · x)².</summary>
public sealed class Snake1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _alpha;

    public Snake1d(long channels, Device device)
        : base(nameof(Snake1d))
    {
        _alpha = new Parameter(torch.ones([1, channels, 1], device: device), requires_grad: false);
        register_parameter("alpha", _alpha);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var inverse = (_alpha + 1e-9).reciprocal();
        return (input + (inverse * torch.sin(_alpha * input).pow(2))).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
