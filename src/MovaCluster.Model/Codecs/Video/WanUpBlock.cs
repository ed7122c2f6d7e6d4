using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>Decoder up block: <c>resnets.{0..n}</c> then, except for the last block, <c>upsamplers.0</c>.</summary>
public sealed class WanUpBlock : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly ModuleList<WanResidualBlock> _resnets = new();
    private readonly WanResample? _upsampler;

    public WanUpBlock(long inChannels, long outChannels, int residualBlocks, WanResampleMode? upsample, Device device, ScalarType dtype)
        : base(nameof(WanUpBlock))
    {
        long current = inChannels;
        for (int i = 0; i < residualBlocks; i++)
        {
            _resnets.Add(new WanResidualBlock(current, outChannels, device, dtype));
            current = outChannels;
        }

        register_module("resnets", _resnets);
        if (upsample is { } mode)
        {
            _upsampler = new WanResample(outChannels, mode, device, dtype);
            register_module("upsamplers", new ModuleList<WanResample>(_upsampler));
        }
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = input;
        foreach (var resnet in _resnets)
        {
            x = resnet.forward(x, cache);
        }

        if (_upsampler is not null)
        {
            x = _upsampler.forward(x, cache);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
