using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan residual block (keys norm1, conv1, norm2, conv2, conv_shortcut when widths differ):
/// shortcut(x) + conv2(SiLU(norm2(conv1(SiLU(norm1(x)))))).
/// </summary>
public sealed class WanResidualBlock : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly WanRmsNorm _norm1;
    private readonly CausalConv3d _conv1;
    private readonly WanRmsNorm _norm2;
    private readonly CausalConv3d _conv2;
    private readonly CausalConv3d? _shortcut;

    public WanResidualBlock(long inChannels, long outChannels, Device device, ScalarType dtype)
        : base(nameof(WanResidualBlock))
    {
        _norm1 = new WanRmsNorm(inChannels, images: false, device, dtype);
        _conv1 = CausalConv3d.Cube(inChannels, outChannels, device, dtype);
        _norm2 = new WanRmsNorm(outChannels, images: false, device, dtype);
        _conv2 = CausalConv3d.Cube(outChannels, outChannels, device, dtype);
        register_module("norm1", _norm1);
        register_module("conv1", _conv1);
        register_module("norm2", _norm2);
        register_module("conv2", _conv2);
        if (inChannels != outChannels)
        {
            _shortcut = CausalConv3d.Pointwise(inChannels, outChannels, device, dtype);
            register_module("conv_shortcut", _shortcut);
        }
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var shortcut = _shortcut is null ? input : _shortcut.forward(input, cache);
        var x = _conv1.forward(nn.functional.silu(_norm1.forward(input)), cache);
        x = _conv2.forward(nn.functional.silu(_norm2.forward(x)), cache);
        return (x + shortcut).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
