using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>
/// diffusers AutoencoderKLWan (Wan 2.1; keys <c>encoder.*</c>, <c>quant_conv.*</c>, <c>post_quant_conv.*</c>,
/// <c>decoder.*</c>) run the way upstream runs it: the encoder on frame 0 and then 4 frames at a time, the decoder
/// one latent frame at a time, each with causal caches, so memory depends on the frame size, not the clip length.
/// </summary>
public sealed class WanVideoVae : nn.Module
{
    private readonly WanEncoder3d _encoder;
    private readonly CausalConv3d _quantConv;
    private readonly CausalConv3d _postQuantConv;
    private readonly WanDecoder3d _decoder;

    public WanVideoVae(WanVaeConfig config, Device device, ScalarType dtype = ScalarType.Float32)
        : base(nameof(WanVideoVae))
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid video VAE config: {string.Join(" ", errors)}", nameof(config));
        }

        Config = config;
        Device = device;
        DType = dtype;
        _encoder = new WanEncoder3d(config, device, dtype);
        _quantConv = CausalConv3d.Pointwise(config.ZDim * 2, config.ZDim * 2, device, dtype);
        _postQuantConv = CausalConv3d.Pointwise(config.ZDim, config.ZDim, device, dtype);
        _decoder = new WanDecoder3d(config, device, dtype);
        register_module("encoder", _encoder);
        register_module("quant_conv", _quantConv);
        register_module("post_quant_conv", _postQuantConv);
        register_module("decoder", _decoder);
        eval();
    }

    public WanVaeConfig Config { get; }

    public Device Device { get; }

    public ScalarType DType { get; }

    /// <summary>Reads <c>video_vae/config.json</c> and loads the weights strictly.</summary>
    public static WanVideoVae FromFolder(string folder, Device device, ScalarType dtype = ScalarType.Float32)
    {
        var vae = new WanVideoVae(ConfigJson.Load<WanVaeConfig>(folder), device, dtype);
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        CheckpointLoader.Load(vae, checkpoint);
        return vae;
    }

    /// <summary>quant_conv output (mean and log-variance halves) of a video [B, 3, 1+4k, H, W] in [-1, 1].</summary>
    public Tensor EncodeMoments(Tensor video)
    {
        ArgumentNullException.ThrowIfNull(video);
        long frames = video.shape[2];
        if (video.dim() != 5 || (frames - 1) % ScaleFactorTemporal != 0)
        {
            throw new ArgumentException($"Video must be [B, 3, 1+4k, H, W]; got [{string.Join(", ", video.shape)}].", nameof(video));
        }

        var chunks = new List<Tensor> { video.narrow(2, 0, 1) };
        for (long start = 1; start < frames; start += ScaleFactorTemporal)
        {
            chunks.Add(video.narrow(2, start, ScaleFactorTemporal));
        }

        return EncodeChunks(chunks);
    }

    /// <summary>Posterior mean (<c>latent_dist.mode()</c>) [B, z, 1+(F-1)/4, H/8, W/8].</summary>
    public Tensor EncodeMean(Tensor video)
    {
        using var moments = EncodeMoments(video);
        return moments.narrow(1, 0, Config.ZDim).clone();
    }

    /// <summary>
    /// MOVA's image condition [B, 4+z, T, H/8, W/8]: mask (1 on latent frame 0) then the normalized mean latent of
    /// the video "image at frame 0, zeros after"; the zero frames are generated chunk by chunk, never as one tensor.
    /// </summary>
    public Tensor EncodeImageCondition(Tensor image, int numFrames)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (numFrames < 1 || (numFrames - 1) % ScaleFactorTemporal != 0)
        {
            throw new ArgumentException($"num_frames must be 1 + {ScaleFactorTemporal}k; got {numFrames}.", nameof(numFrames));
        }

        using var scope = torch.NewDisposeScope();
        var first = image.to(DType, Device).unsqueeze(2);
        var zeros = torch.zeros([image.shape[0], image.shape[1], ScaleFactorTemporal, image.shape[2], image.shape[3]], dtype: DType, device: Device);
        var chunks = new List<Tensor> { first };
        for (int i = 1; i < 1 + ((numFrames - 1) / ScaleFactorTemporal); i++)
        {
            chunks.Add(zeros);
        }

        var latent = EncodeChunks(chunks).narrow(1, 0, Config.ZDim).to(ScalarType.Float32);
        var normalized = Normalize(latent);
        var mask = torch.zeros([latent.shape[0], 4, latent.shape[2], latent.shape[3], latent.shape[4]], dtype: ScalarType.Float32, device: Device);
        mask.narrow(2, 0, 1).fill_(1.0);
        return torch.cat([mask, normalized], 1).MoveToOuterDisposeScope();
    }

    /// <summary>MOVA's normalize_video_latents: (z - mean) · (1 / std), the reciprocal taken first.</summary>
    public Tensor Normalize(Tensor latent)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = Stats(latent);
        return ((latent - mean) * (1.0 / std)).MoveToOuterDisposeScope();
    }

    /// <summary>MOVA's denormalize_video_latents: z · std + mean.</summary>
    public Tensor Denormalize(Tensor latent)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, std) = Stats(latent);
        return ((latent * std) + mean).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes [B, z, T, h, w] one latent frame at a time; each yielded chunk is [B, 3, f, 8h, 8w] (f = 1 for the
    /// first latent frame, 4 after), clamped to [-1, 1] unless <paramref name="clamp"/> is false. The caller owns
    /// each chunk.
    /// </summary>
    public IEnumerable<Tensor> DecodeChunks(Tensor latent, bool clamp = true)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.dim() != 5 || latent.shape[1] != Config.ZDim)
        {
            throw new ArgumentException($"Latent must be [B, {Config.ZDim}, T, h, w]; got [{string.Join(", ", latent.shape)}].", nameof(latent));
        }

        return DecodeChunksIterator(latent, clamp);
    }

    /// <summary>Whole decoded video [B, 3, 1+4(T-1), 8h, 8w], clamped to [-1, 1].</summary>
    public Tensor Decode(Tensor latent, bool clamp = true)
    {
        var chunks = DecodeChunks(latent, clamp).ToList();
        try
        {
            return torch.cat(chunks, 2);
        }
        finally
        {
            chunks.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Decodes the first sample of a (denormalized) latent straight to uint8 RGB frames, chunk by chunk.</summary>
    public RgbVideo DecodeToRgb(Tensor latent)
    {
        var frames = new List<byte[]>();
        int height = 0, width = 0;
        foreach (var chunk in DecodeChunks(latent))
        {
            using (chunk)
            using (var sample = chunk[0])
            {
                height = (int)chunk.shape[3];
                width = (int)chunk.shape[4];
                frames.AddRange(VideoFrameConverter.ToRgbFrames(sample));
            }
        }

        return new RgbVideo(width, height, frames);
    }

    private int ScaleFactorTemporal => Config.ScaleFactorTemporal;

    private IEnumerable<Tensor> DecodeChunksIterator(Tensor latent, bool clamp)
    {
        using var cache = new CausalConvCache();
        using var noGrad = torch.no_grad();
        using var prepared = _postQuantConv.forward(latent.to(DType, Device), cache);
        for (long t = 0; t < prepared.shape[2]; t++)
        {
            Tensor decoded;
            using (var scope = torch.NewDisposeScope())
            {
                var output = _decoder.forward(prepared.narrow(2, t, 1), cache);
                decoded = (clamp ? output.clamp(-1.0, 1.0) : output).MoveToOuterDisposeScope();
            }

            yield return decoded;
        }
    }

    private Tensor EncodeChunks(IReadOnlyList<Tensor> chunks)
    {
        using var cache = new CausalConvCache();
        using var noGrad = torch.no_grad();
        var encoded = new List<Tensor>(chunks.Count);
        try
        {
            foreach (var chunk in chunks)
            {
                using var scope = torch.NewDisposeScope();
                encoded.Add(_encoder.forward(chunk.to(DType, Device), cache).MoveToOuterDisposeScope());
            }

            using var joined = torch.cat(encoded, 2);
            return _quantConv.forward(joined, cache);
        }
        finally
        {
            encoded.ForEach(t => t.Dispose());
        }
    }

    private (Tensor Mean, Tensor Std) Stats(Tensor like)
    {
        var mean = torch.tensor(Config.LatentsMean.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32, device: like.device)
            .to(like.dtype).view(1, Config.ZDim, 1, 1, 1);
        var std = torch.tensor(Config.LatentsStd.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32, device: like.device)
            .to(like.dtype).view(1, Config.ZDim, 1, 1, 1);
        return (mean, std);
    }

    /// <summary>Children are registered explicitly under their checkpoint names, not by field name.</summary>
    protected override void RegisterComponents()
    {
    }
}
