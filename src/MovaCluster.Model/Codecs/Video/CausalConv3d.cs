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
        if (_frontFrames > 0)
        {
            var previous = cache.Get(this);
            long zeros = _frontFrames - (previous?.shape[2] ?? 0);
            var front = new List<Tensor>(3);
            if (zeros > 0)
            {
                front.Add(torch.zeros([input.shape[0], input.shape[1], zeros, input.shape[3], input.shape[4]], dtype: input.dtype, device: input.device));
            }

            if (previous is not null)
            {
                front.Add(previous);
            }

            front.Add(input);
            x = torch.cat(front, 2);
            long keep = Math.Min(_frontFrames, input.shape[2] + (previous?.shape[2] ?? 0));
            cache.Set(this, x.narrow(2, x.shape[2] - keep, keep));
        }

        return ConvolveInRowBands(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Upper bound on the unfolded input libtorch's CPU conv3d builds per call (C_in·kT·kH·kW × output positions,
    /// float32). Larger outputs are computed in bands of output rows, which caps the decoder's peak memory at high
    /// resolutions without changing any output value's computation.
    /// </summary>
    public long ColumnBufferBudgetBytes { get; set; } = 256L << 20;

    private Tensor ConvolveInRowBands(Tensor x)
    {
        long kernelT = _weight.shape[2], kernelH = _weight.shape[3], kernelW = _weight.shape[4];
        long outT = ((x.shape[2] - kernelT) / _stride[0]) + 1;
        long outH = ((x.shape[3] + (2 * _padH) - kernelH) / _stride[1]) + 1;
        long outW = ((x.shape[4] + (2 * _padW) - kernelW) / _stride[2]) + 1;
        long bytesPerRow = _weight.shape[1] * kernelT * kernelH * kernelW * outT * outW * x.shape[0] * sizeof(float);
        long rowsPerBand = Math.Max(1, ColumnBufferBudgetBytes / Math.Max(1, bytesPerRow));
        if (rowsPerBand >= outH)
        {
            // Spatial zero padding inside the convolution: no padded copy of the input.
            return nn.functional.conv3d(x, _weight, _bias, strides: _stride, padding: [0, _padH, _padW]);
        }

        using var padded = nn.functional.pad(x, [_padW, _padW, _padH, _padH, 0, 0]);
        var bands = new List<Tensor>();
        for (long row = 0; row < outH; row += rowsPerBand)
        {
            long rows = Math.Min(rowsPerBand, outH - row);
            var band = padded.narrow(3, row * _stride[1], ((rows - 1) * _stride[1]) + kernelH);
            bands.Add(nn.functional.conv3d(band, _weight, _bias, strides: _stride));
        }

        return torch.cat(bands, 3);
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
