using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// Wan resample block: the per-frame spatial step is <c>resample.1</c> (nearest ×2 + Conv2d(C, C/2, 3) for
/// upsampling; right/bottom zero pad + stride-2 Conv2d(C, C, 3) for downsampling), and the 3-D modes add
/// <c>time_conv</c> with the first-frame rules of SPEC 2.6: upsample3d keeps the first frame and turns every later
/// frame into two (time step before the spatial step); downsample3d keeps the first frame and then convolves stride-2
/// windows that start at the previous chunk's last frame (spatial step first).
/// </summary>
public sealed class WanResample : nn.Module<Tensor, CausalConvCache, Tensor>
{
    private readonly WanResampleMode _mode;
    private readonly Conv2d _spatial;
    private readonly CausalConv3d? _timeConv;

    public WanResample(long channels, WanResampleMode mode, Device device, ScalarType dtype)
        : base(nameof(WanResample))
    {
        _mode = mode;
        bool up = mode is WanResampleMode.Upsample2d or WanResampleMode.Upsample3d;
        _spatial = up
            ? nn.Conv2d(channels, channels / 2, 3, padding: 1, device: device, dtype: dtype)
            : nn.Conv2d(channels, channels, 3, stride: 2, device: device, dtype: dtype);
        var resample = new ModuleDict<nn.Module>();
        resample.Add("1", _spatial);
        register_module("resample", resample);
        if (mode == WanResampleMode.Upsample3d)
        {
            _timeConv = new CausalConv3d(channels, channels * 2, (3, 1, 1), (1, 0, 0), device, dtype);
            register_module("time_conv", _timeConv);
        }
        else if (mode == WanResampleMode.Downsample3d)
        {
            _timeConv = new CausalConv3d(channels, channels, (3, 1, 1), (0, 0, 0), device, dtype, stride: (2, 1, 1));
            register_module("time_conv", _timeConv);
        }
    }

    public override Tensor forward(Tensor input, CausalConvCache cache)
    {
        using var scope = torch.NewDisposeScope();
        var x = _mode == WanResampleMode.Upsample3d ? UpsampleTime(input, cache) : input;
        x = Spatial(x);
        if (_mode == WanResampleMode.Downsample3d)
        {
            x = DownsampleTime(x, cache);
        }

        return x.MoveToOuterDisposeScope();
    }

    private Tensor Spatial(Tensor x)
    {
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        var frames = x.permute(0, 2, 1, 3, 4).reshape(b * t, c, h, w);
        if (_mode is WanResampleMode.Upsample2d or WanResampleMode.Upsample3d)
        {
            // Nearest-exact ×2 (computed in float32 upstream) is plain pixel duplication for a factor of 2.
            var widened = frames.to(ScalarType.Float32).repeat_interleave(2, 3).repeat_interleave(2, 2).to(frames.dtype);
            frames = _spatial.forward(widened);
        }
        else
        {
            frames = _spatial.forward(nn.functional.pad(frames, [0, 1, 0, 1]));
        }

        return frames.view(b, t, frames.shape[1], frames.shape[2], frames.shape[3]).permute(0, 2, 1, 3, 4);
    }

    private Tensor UpsampleTime(Tensor x, CausalConvCache cache)
    {
        Tensor? head = null;
        var rest = x;
        if (cache.IsFirstChunk(this))
        {
            head = x.narrow(2, 0, 1);
            rest = x.narrow(2, 1, x.shape[2] - 1);
        }

        if (rest.shape[2] == 0)
        {
            return head!;
        }

        long b = rest.shape[0], c = rest.shape[1], t = rest.shape[2], h = rest.shape[3], w = rest.shape[4];
        var doubled = _timeConv!.forward(rest, cache).reshape(b, 2, c, t, h, w);
        var interleaved = torch.stack([doubled.select(1, 0), doubled.select(1, 1)], 3).reshape(b, c, t * 2, h, w);
        return head is null ? interleaved : torch.cat([head, interleaved], 2);
    }

    private Tensor DownsampleTime(Tensor x, CausalConvCache cache)
    {
        var previous = cache.Get(this);
        var windows = previous is null ? null : torch.cat([previous, x], 2);
        cache.Set(this, x.narrow(2, x.shape[2] - 1, 1));
        return windows is null ? x : _timeConv!.forward(windows, cache);
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
