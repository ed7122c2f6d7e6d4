using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// DAC residual unit (<c>block.0..3</c> = Snake, dilated Conv1d k7, Snake, Conv1d k1): x + block(x), with x
/// centre-cropped if the block shortened the signal.
/// </summary>
public sealed class DacResidualUnit : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _block;

    public DacResidualUnit(long channels, long dilation, Device device)
        : base(nameof(DacResidualUnit))
    {
        _block = new ModuleList<nn.Module<Tensor, Tensor>>(
            new Snake1d(channels, device),
            new DacConv1d(channels, channels, 7, 3 * dilation, dilation, device),
            new Snake1d(channels, device),
            new DacConv1d(channels, channels, 1, 0, 1, device));
        register_module("block", _block);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var y = input;
        foreach (var layer in _block)
        {
            y = layer.forward(y);
        }

        long crop = (input.shape[^1] - y.shape[^1]) / 2;
        var x = crop > 0 ? input.narrow(-1, crop, y.shape[^1]) : input;
        return (x + y).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
