using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// DAC decoder (<c>model.{i}</c>): Conv1d k7 to decoder_dim, one block per rate halving the width, Snake,
/// Conv1d k7 to one channel, tanh.
/// </summary>
public sealed class DacDecoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _model = new();

    public DacDecoder(DacConfig config, Device device)
        : base(nameof(DacDecoder))
    {
        long channels = config.DecoderDim;
        _model.Add(new DacConv1d(config.EffectiveLatentDim, channels, 7, 3, 1, device));
        long output = channels;
        for (int i = 0; i < config.DecoderRates.Length; i++)
        {
            long input = channels >> i;
            output = channels >> (i + 1);
            _model.Add(new DacDecoderBlock(input, output, config.DecoderRates[i], device));
        }

        _model.Add(new Snake1d(output, device));
        _model.Add(new DacConv1d(output, 1, 7, 3, 1, device));
        _model.Add(nn.Tanh());
        register_module("model", _model);
    }

    /// <summary>Runs the layers; <paramref name="afterLayer"/> sees each <c>model.{i}</c> output.</summary>
    public Tensor Forward(Tensor input, Action<int, Tensor>? afterLayer)
    {
        var x = input.alias();
        for (int i = 0; i < _model.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            var next = _model[i].forward(x);
            afterLayer?.Invoke(i, next);
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }

        return x;
    }

    public override Tensor forward(Tensor input) => Forward(input, null);

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
