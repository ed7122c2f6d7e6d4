using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>DAC's upsampling ConvTranspose1d (weight [in, out, k]; keys <c>weight</c>, <c>bias</c>).</summary>
public sealed class DacConvTranspose1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly long _stride;
    private readonly long _padding;
    private readonly long _outputPadding;

    public DacConvTranspose1d(long inChannels, long outChannels, long stride, Device device)
        : base(nameof(DacConvTranspose1d))
    {
        _weight = new Parameter(torch.zeros([inChannels, outChannels, 2 * stride], device: device), requires_grad: false);
        _bias = new Parameter(torch.zeros(outChannels, device: device), requires_grad: false);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        _stride = stride;
        _padding = (stride + 1) / 2;
        _outputPadding = stride % 2;
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose1d(input, _weight, _bias, stride: _stride, padding: _padding, output_padding: _outputPadding);

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
