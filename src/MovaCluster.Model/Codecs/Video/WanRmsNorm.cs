using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan's RMS_norm (key <c>gamma</c>): L2-normalize over channels (dim 1, norm clamped at 1e-12) times √C times
/// gamma — not an eps-inside-sqrt RMSNorm. Normalization runs in float32 for half-precision inputs.
/// </summary>
public sealed class WanRmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _gamma;
    private readonly double _scale;

    /// <summary>Builds the norm; <paramref name="images"/> selects gamma [C,1,1] (per-frame inputs) over [C,1,1,1] (video).</summary>
    public WanRmsNorm(long channels, bool images, Device device, ScalarType dtype)
        : base(nameof(WanRmsNorm))
    {
        long[] shape = images ? [channels, 1, 1] : [channels, 1, 1, 1];
        _gamma = new Parameter(torch.ones(shape, dtype: dtype, device: device), requires_grad: false);
        register_parameter("gamma", _gamma);
        _scale = Math.Sqrt(channels);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32);
        var denominator = x.norm(1, true, 2f).clamp_min(1e-12).expand_as(x);
        var normalized = (x / denominator).to(input.dtype);
        return (normalized * _scale * _gamma).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
