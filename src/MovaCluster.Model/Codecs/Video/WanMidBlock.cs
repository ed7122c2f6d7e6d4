using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>Middle block: <c>resnets.0</c>, then <c>attentions.0</c> and <c>resnets.1</c>.</summary>
public sealed class WanMidBlock : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly ModuleList<WanResidualBlock> _resnets;
    private readonly ModuleList<WanAttentionBlock> _attentions;

    public WanMidBlock(long channels, Device device, ScalarType dtype)
        : base(nameof(WanMidBlock))
    {
        _resnets = new ModuleList<WanResidualBlock>(
            new WanResidualBlock(channels, channels, device, dtype), new WanResidualBlock(channels, channels, device, dtype));
        _attentions = new ModuleList<WanAttentionBlock>(new WanAttentionBlock(channels, device, dtype));
        register_module("attentions", _attentions);
        register_module("resnets", _resnets);
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = _resnets[0].forward(input, cache);
        for (int i = 0; i < _attentions.Count; i++)
        {
            x = _attentions[i].forward(x);
            x = _resnets[i + 1].forward(x, cache);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
