using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// DAC decoder block (<c>block.0..4</c>): Snake, ConvTranspose1d(k = 2·stride, padding ⌈stride/2⌉, output padding
/// stride mod 2), residual units with dilations 1, 3, 9.
/// </summary>
public sealed class DacDecoderBlock : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _block;

    public DacDecoderBlock(long inChannels, long outChannels, long stride, Device device)
        : base(nameof(DacDecoderBlock))
    {
        _block = new ModuleList<nn.Module<Tensor, Tensor>>(
            new Snake1d(inChannels, device),
            new DacConvTranspose1d(inChannels, outChannels, stride, device),
            new DacResidualUnit(outChannels, 1, device),
            new DacResidualUnit(outChannels, 3, device),
            new DacResidualUnit(outChannels, 9, device));
        register_module("block", _block);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input;
        foreach (var layer in _block)
        {
            x = layer.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
