using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// A DAC Conv1d with its effective weight (keys <c>weight</c>, <c>bias</c>); weight-norm checkpoints are folded
/// into <c>weight</c> by <see cref="DacCheckpointLoader"/>.
/// </summary>
public sealed class DacConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly long _padding;
    private readonly long _dilation;

    public DacConv1d(long inChannels, long outChannels, long kernel, long padding, long dilation, Device device)
        : base(nameof(DacConv1d))
    {
        _weight = new Parameter(torch.zeros([outChannels, inChannels, kernel], device: device), requires_grad: false);
        _bias = new Parameter(torch.zeros(outChannels, device: device), requires_grad: false);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        _padding = padding;
        _dilation = dilation;
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv1d(input, _weight, _bias, stride: 1, padding: _padding, dilation: _dilation);

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
