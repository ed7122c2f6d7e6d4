using System.Text.Json;
using MovaCluster.Model.Configs;

namespace MovaCluster.Model.Codecs.Audio;

/// <summary>Constructor arguments of MOVA's DAC (<c>audio_vae/config.json</c>); only the continuous mode is supported.</summary>
public sealed record DacConfig : IComponentConfig
{
    public int EncoderDim { get; init; } = 64;
    public int[] EncoderRates { get; init; } = [2, 4, 8, 8];
    public int? LatentDim { get; init; }
    public int DecoderDim { get; init; } = 1536;
    public int[] DecoderRates { get; init; } = [8, 8, 4, 2];
    public int NCodebooks { get; init; } = 9;
    public int CodebookSize { get; init; } = 1024;
    public int CodebookDim { get; init; } = 8;

    /// <summary>Unused in continuous mode; configs store it as a number or a boolean.</summary>
    public JsonElement? QuantizerDropout { get; init; }

    public int SampleRate { get; init; } = 44100;
    public bool Continuous { get; init; }
    public bool UseWeightNorm { get; init; } = true;

    /// <summary>Samples per latent frame: the product of the encoder rates.</summary>
    public int HopLength => EncoderRates.Aggregate(1, (a, b) => a * b);

    /// <summary>Latent channels: latent_dim, or encoder_dim · 2^len(encoder_rates) when null.</summary>
    public int EffectiveLatentDim => LatentDim ?? (EncoderDim * (1 << EncoderRates.Length));

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Continuous)
        {
            errors.Add("only continuous DAC (continuous: true) is supported; MOVA's audio VAE is continuous.");
        }

        if (EncoderDim <= 0 || DecoderDim <= 0 || SampleRate <= 0 || EffectiveLatentDim <= 0)
        {
            errors.Add("encoder_dim, decoder_dim, latent_dim and sample_rate must be positive.");
        }

        if (EncoderRates.Length == 0 || EncoderRates.Any(r => r <= 0) || DecoderRates.Length == 0 || DecoderRates.Any(r => r <= 0))
        {
            errors.Add("encoder_rates and decoder_rates must be non-empty lists of positive strides.");
        }

        if (DecoderRates.Aggregate(1, (a, b) => a * b) != HopLength)
        {
            errors.Add("the product of decoder_rates must equal the hop length (product of encoder_rates).");
        }

        if (DecoderDim >> DecoderRates.Length <= 0 || DecoderDim % (1 << DecoderRates.Length) != 0)
        {
            errors.Add("decoder_dim must be divisible by 2^len(decoder_rates).");
        }

        return errors;
    }
}
