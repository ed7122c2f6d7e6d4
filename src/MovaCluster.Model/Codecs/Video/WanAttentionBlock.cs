using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Per-frame single-head self-attention over H·W tokens (keys norm, to_qkv, proj), head dim = channels,
/// scale 1/√C, residual.
/// </summary>
public sealed class WanAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly WanRmsNorm _norm;
    private readonly Conv2d _toQkv;
    private readonly Conv2d _proj;

    public WanAttentionBlock(long channels, Device device, ScalarType dtype)
        : base(nameof(WanAttentionBlock))
    {
        _norm = new WanRmsNorm(channels, images: true, device, dtype);
        _toQkv = nn.Conv2d(channels, channels * 3, 1, device: device, dtype: dtype);
        _proj = nn.Conv2d(channels, channels, 1, device: device, dtype: dtype);
        register_module("norm", _norm);
        register_module("to_qkv", _toQkv);
        register_module("proj", _proj);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        long b = input.shape[0], c = input.shape[1], t = input.shape[2], h = input.shape[3], w = input.shape[4];
        var x = input.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w);
        x = _norm.forward(x);
        var qkv = _toQkv.forward(x).reshape(b * t, 1, c * 3, h * w).permute(0, 1, 3, 2).contiguous().chunk(3, -1);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
        x = attended.squeeze(1).permute(0, 2, 1).reshape(b * t, c, h, w);
        x = _proj.forward(x);
        x = x.view(b, t, c, h, w).permute(0, 2, 1, 3, 4);
        return (x + input).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
