using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan 2.1 decoder (keys conv_in, mid_block, up_blocks.{i}, norm_out, conv_out). Up block i &gt; 0 takes half the
/// previous width (the upsampler halves it); temporal upsampling mirrors the encoder's temporal downsampling.
/// </summary>
public sealed class WanDecoder3d : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly CausalConv3d _convIn;
    private readonly WanMidBlock _midBlock;
    private readonly ModuleList<WanUpBlock> _upBlocks = new();
    private readonly WanRmsNorm _normOut;
    private readonly CausalConv3d _convOut;

    public WanDecoder3d(WanVaeConfig config, Device device, ScalarType dtype)
        : base(nameof(WanDecoder3d))
    {
        int[] mult = [config.DimMult[^1], .. config.DimMult.Reverse()];
        int[] dims = [.. mult.Select(m => m * config.BaseDim)];
        bool[] temporalUp = [.. config.TemperalDownsample.Reverse()];
        _convIn = CausalConv3d.Cube(config.ZDim, dims[0], device, dtype);
        _midBlock = new WanMidBlock(dims[0], device, dtype);
        for (int i = 0; i < dims.Length - 1; i++)
        {
            long inDim = i > 0 ? dims[i] / 2 : dims[i];
            long outDim = dims[i + 1];
            WanResampleMode? upsample = i != config.DimMult.Length - 1
                ? (temporalUp[i] ? WanResampleMode.Upsample3d : WanResampleMode.Upsample2d)
                : null;
            _upBlocks.Add(new WanUpBlock(inDim, outDim, config.NumResBlocks + 1, upsample, device, dtype));
        }

        _normOut = new WanRmsNorm(dims[^1], images: false, device, dtype);
        _convOut = CausalConv3d.Cube(dims[^1], config.OutChannels, device, dtype);
        register_module("conv_in", _convIn);
        register_module("mid_block", _midBlock);
        register_module("up_blocks", _upBlocks);
        register_module("norm_out", _normOut);
        register_module("conv_out", _convOut);
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = _convIn.forward(input, cache);
        x = _midBlock.forward(x, cache);
        foreach (var block in _upBlocks)
        {
            x = block.forward(x, cache);
        }

        x = nn.functional.silu(_normOut.forward(x));
        return _convOut.forward(x, cache).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
