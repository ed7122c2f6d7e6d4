namespace MovaCluster.Model.Planning;

/// <summary>
/// FLOPs, weights and activations of one model pass (one CFG branch of one denoising step) per layer of the dual-tower
/// stack, and of the work around the loop (encoders, decoders). Multiply-adds count as two FLOPs.
/// </summary>
public sealed class StepCostModel(MovaArchitecture architecture, WorkloadShape workload)
{
    /// <summary>Wan 2.1 VAE decoder work per output pixel-frame (four resolution levels of 3x3x3 convs).</summary>
    public const double VaeDecodeFlopsPerPixelFrame = 14e6;

    /// <summary>Wan 2.1 VAE encoder work per input pixel-frame; MOVA encodes all frames (image then zeros).</summary>
    public const double VaeEncodeFlopsPerPixelFrame = 10e6;

    /// <summary>3-D convolutions sustain a fraction of the DiT's GEMM/attention throughput.</summary>
    public const double ConvolutionEfficiency = 0.35;

    /// <summary>DAC decoder work per output sample at 48 kHz.</summary>
    public const double DacFlopsPerSample = 2.5e6;

    /// <summary>Peak live activation copies of the residual width per token inside a block (x, norm, q, k, v, attention out).</summary>
    private const int ActivationCopies = 6;

    public MovaArchitecture Architecture { get; } = architecture;

    public WorkloadShape Workload { get; } = workload;

    private double Lv => Workload.VideoTokens;

    private double La => Workload.AudioTokens;

    private double Lc => Workload.TextTokens;

    /// <summary>FLOPs of one DiT block over <paramref name="tokens"/> tokens of width <paramref name="tower"/>.Dim.</summary>
    private double BlockFlops(TowerShape tower, double tokens)
    {
        double d = tower.Dim, f = tower.FfnDim;
        var selfAttention = (8 * tokens * d * d) + (4 * tokens * tokens * d);
        var crossAttention = (4 * tokens * d * d) + (4 * Lc * d * d) + (4 * tokens * Lc * d);
        var ffn = 4 * tokens * d * f;
        return selfAttention + crossAttention + ffn;
    }

    private double BridgeFlops()
    {
        double dv = Architecture.Bridge.VideoDim, da = Architecture.Bridge.AudioDim;
        var audioToVideo = (4 * Lv * dv * dv) + (4 * La * da * dv) + (4 * Lv * La * dv);
        var videoToAudio = (4 * La * da * da) + (4 * Lv * dv * da) + (4 * La * Lv * da);
        return audioToVideo + videoToAudio;
    }

    /// <summary>FLOPs of layer <paramref name="layer"/> of the stack in one pass: bridge, video block, audio block.</summary>
    public double LayerFlops(int layer)
    {
        var flops = 0.0;
        if (Architecture.Bridge.Interacts(layer))
        {
            flops += BridgeFlops();
        }

        if (layer < Architecture.VideoExpert.Layers)
        {
            flops += BlockFlops(Architecture.VideoExpert, Lv);
        }

        if (layer < Architecture.Audio.Layers)
        {
            flops += BlockFlops(Architecture.Audio, La);
        }

        return flops;
    }

    /// <summary>Embeddings and heads, run by the first and last stage.</summary>
    public double EdgeFlops()
    {
        var v = Architecture.VideoExpert;
        var a = Architecture.Audio;
        var text = (2 * Lc * ((double)v.TextDim * v.Dim + ((double)v.Dim * v.Dim))) + (2 * Lc * ((double)a.TextDim * a.Dim + ((double)a.Dim * a.Dim)));
        var patch = (2 * Lv * v.Dim * v.InChannels * v.PatchVolume) + (2 * La * a.Dim * a.InChannels);
        var heads = (2 * Lv * v.Dim * v.OutChannels * v.PatchVolume) + (2 * La * a.Dim * a.OutChannels);
        return text + patch + heads;
    }

    public double PassFlops() => Enumerable.Range(0, Architecture.StackLayers).Sum(LayerFlops) + EdgeFlops();

    /// <summary>Weights of one stack layer for ONE video expert, plus the audio block and bridge layer it shares.</summary>
    public long LayerSharedBytes(int layer)
    {
        long bytes = 0;
        if (layer < Architecture.Audio.Layers)
        {
            bytes += Architecture.Audio.BlockParameters * Architecture.BytesPerParameter;
        }

        if (Architecture.Bridge.Interacts(layer))
        {
            bytes += Architecture.Bridge.LayerParameters * Architecture.BytesPerParameter;
        }

        return bytes;
    }

    public long LayerExpertBytes(int layer) =>
        layer < Architecture.VideoExpert.Layers ? Architecture.VideoExpert.BlockParameters * Architecture.BytesPerParameter : 0;

    public long EdgeBytes(int experts) =>
        ((Architecture.VideoExpert.EmbeddingParameters * experts) + Architecture.Audio.EmbeddingParameters) * Architecture.BytesPerParameter;

    /// <summary>Peak activations of one pass inside a block (bf16), plus the fp32 latents and the text contexts.</summary>
    public long ActivationBytes()
    {
        var v = Architecture.VideoExpert;
        var a = Architecture.Audio;
        var video = Lv * ((ActivationCopies * (double)v.Dim) + v.FfnDim) * 2;
        var audio = La * ((ActivationCopies * (double)a.Dim) + a.FfnDim) * 2;
        var contexts = Lc * (v.Dim + a.Dim) * 2 * 2;
        return (long)(video + audio + contexts);
    }

    /// <summary>What one stage hands the next each pass: the video and audio residual streams in bf16.</summary>
    public long HandOffBytes() => (long)((Lv * Architecture.VideoExpert.Dim) + (La * Architecture.Audio.Dim)) * 2;

    /// <summary>VAE encode of the reference condition (all frames) plus UMT5 over the prompt.</summary>
    public double EncodeFlops() =>
        (Workload.PixelFrames * VaeEncodeFlopsPerPixelFrame / ConvolutionEfficiency) + (2.0 * Architecture.TextEncoderParameters * Lc);

    public double DecodeFlops() =>
        (Workload.PixelFrames * VaeDecodeFlopsPerPixelFrame / ConvolutionEfficiency) + (La * 960 * DacFlopsPerSample);

    /// <summary>Chunked causal VAE decode: a few full-resolution 96-channel frames of cache and work space.</summary>
    public long DecodeWorkspaceBytes() => (long)Workload.Width * Workload.Height * 96 * 2 * 24;
}
