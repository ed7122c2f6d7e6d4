using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan 2.1 encoder (keys conv_in, down_blocks.{i}, mid_block, norm_out, conv_out): residual blocks and
/// down-samplers as a flat list, output 2·z_dim channels (mean and log-variance halves).
/// </summary>
public sealed class WanEncoder3d : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly CausalConv3d _convIn;
    private readonly ModuleList<nn.Module<Tensor, CausalConvCache, Tensor>> _downBlocks = new();
    private readonly WanMidBlock _midBlock;
    private readonly WanRmsNorm _normOut;
    private readonly CausalConv3d _convOut;

    public WanEncoder3d(WanVaeConfig config, Device device, ScalarType dtype)
        : base(nameof(WanEncoder3d))
    {
        int[] dims = [config.BaseDim, .. config.DimMult.Select(m => m * config.BaseDim)];
        _convIn = CausalConv3d.Cube(config.InChannels, dims[0], device, dtype);
        for (int i = 0; i < dims.Length - 1; i++)
        {
            long inDim = dims[i];
            long outDim = dims[i + 1];
            for (int r = 0; r < config.NumResBlocks; r++)
            {
                _downBlocks.Add(new WanResidualBlock(inDim, outDim, device, dtype));
                inDim = outDim;
            }

            if (i != config.DimMult.Length - 1)
            {
                var mode = config.TemperalDownsample[i] ? WanResampleMode.Downsample3d : WanResampleMode.Downsample2d;
                _downBlocks.Add(new WanResample(outDim, mode, device, dtype));
            }
        }

        _midBlock = new WanMidBlock(dims[^1], device, dtype);
        _normOut = new WanRmsNorm(dims[^1], images: false, device, dtype);
        _convOut = CausalConv3d.Cube(dims[^1], config.ZDim * 2, device, dtype);
        register_module("conv_in", _convIn);
        register_module("down_blocks", _downBlocks);
        register_module("mid_block", _midBlock);
        register_module("norm_out", _normOut);
        register_module("conv_out", _convOut);
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = _convIn.forward(input, cache);
        foreach (var block in _downBlocks)
        {
            x = block.forward(x, cache);
        }

        x = _midBlock.forward(x, cache);
        x = nn.functional.silu(_normOut.forward(x));
        return _convOut.forward(x, cache).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
