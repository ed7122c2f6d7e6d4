using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan's causal Conv3d (keys <c>weight</c>, <c>bias</c>): symmetric zero padding in H and W, 2·pt frames in front
/// only. When streaming, the front frames come from the previous chunk's last input frames instead of zeros.
/// </summary>
public sealed class CausalConv3d : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly long[] _stride;
    private readonly long _frontFrames;
    private readonly long _padH;
    private readonly long _padW;

    public CausalConv3d(
        long inChannels, long outChannels, (long T, long H, long W) kernel, (long T, long H, long W) padding,
        Device device, ScalarType dtype, (long T, long H, long W)? stride = null)
        : base(nameof(CausalConv3d))
    {
        _weight = new Parameter(torch.zeros([outChannels, inChannels, kernel.T, kernel.H, kernel.W], dtype: dtype, device: device), requires_grad: false);
        _bias = new Parameter(torch.zeros(outChannels, dtype: dtype, device: device), requires_grad: false);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        var s = stride ?? (1, 1, 1);
        _stride = [s.T, s.H, s.W];
        _frontFrames = 2 * padding.T;
        _padH = padding.H;
        _padW = padding.W;
    }

    public static CausalConv3d Cube(long inChannels, long outChannels, Device device, ScalarType dtype) =>
        new(inChannels, outChannels, (3, 3, 3), (1, 1, 1), device, dtype);

    public static CausalConv3d Pointwise(long inChannels, long outChannels, Device device, ScalarType dtype) =>
        new(inChannels, outChannels, (1, 1, 1), (0, 0, 0), device, dtype);

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = input;
        long front = 0;
        if (_frontFrames > 0)
        {
            var previous = cache.Get(this);
            front = _frontFrames - (previous?.shape[2] ?? 0);
            if (previous is not null)
            {
                x = torch.cat([previous, x], 2);
            }

            long keep = Math.Min(_frontFrames, x.shape[2]);
            cache.Set(this, x.narrow(2, x.shape[2] - keep, keep));
        }

        if (front > 0 || _padH > 0 || _padW > 0)
        {
            x = nn.functional.pad(x, [_padW, _padW, _padH, _padH, Math.Max(front, 0), 0]);
        }

        return nn.functional.conv3d(x, _weight, _bias, strides: _stride).MoveToOuterDisposeScope();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
