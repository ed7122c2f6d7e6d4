using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>
/// The inference half of MOVA's continuous DAC (keys <c>post_quant_conv.*</c>, <c>decoder.model.*</c>): latents
/// [B, latent_dim, T] to mono audio [B, 1, T·hop] in [-1, 1], computed in float32 as MOVA's fp32 autocast does.
/// </summary>
public sealed class DacAudioDecoder : nn.Module
{
    private readonly DacConv1d _postQuantConv;
    private readonly DacDecoder _decoder;

    public DacAudioDecoder(DacConfig config, Device device)
        : base(nameof(DacAudioDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid DAC config: {string.Join(" ", errors)}", nameof(config));
        }

        Config = config;
        Device = device;
        _postQuantConv = new DacConv1d(config.EffectiveLatentDim, config.EffectiveLatentDim, 1, 0, 1, device);
        _decoder = new DacDecoder(config, device);
        register_module("post_quant_conv", _postQuantConv);
        register_module("decoder", _decoder);
        eval();
    }

    public DacConfig Config { get; }

    public Device Device { get; }

    public int SampleRate => Config.SampleRate;

    public int HopLength => Config.HopLength;

    /// <summary>Reads <c>audio_vae/config.json</c> and loads the decoder weights strictly (folding weight norm).</summary>
    public static DacAudioDecoder FromFolder(string folder, Device device)
    {
        var decoder = new DacAudioDecoder(ConfigJson.Load<DacConfig>(folder), device);
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        DacCheckpointLoader.Load(decoder, checkpoint);
        return decoder;
    }

    /// <summary>Audio [B, 1, T·hop]; <paramref name="afterLayer"/> sees post_quant_conv (index -1) and each decoder layer.</summary>
    public Tensor Decode(Tensor latent, Action<int, Tensor>? afterLayer = null)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.dim() != 3 || latent.shape[1] != Config.EffectiveLatentDim)
        {
            throw new ArgumentException(
                $"Audio latent must be [B, {Config.EffectiveLatentDim}, T]; got [{string.Join(", ", latent.shape)}].", nameof(latent));
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var z = _postQuantConv.forward(latent.to(ScalarType.Float32, Device));
        afterLayer?.Invoke(-1, z);
        return _decoder.Forward(z, afterLayer).MoveToOuterDisposeScope();
    }

    /// <summary>Mono float PCM of the first sample (length T·hop, not trimmed).</summary>
    public float[] DecodeToPcm(Tensor latent)
    {
        using var audio = Decode(latent);
        using var mono = audio[0, 0].to(ScalarType.Float32, CPU).contiguous();
        return mono.data<float>().ToArray();
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
