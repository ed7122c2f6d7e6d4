using MovaCluster.Model.Configs;

namespace MovaCluster.Model.Codecs.Video;

/// <summary>Constructor arguments of diffusers' AutoencoderKLWan (<c>video_vae/config.json</c>), Wan 2.1 layout.</summary>
public sealed record WanVaeConfig : IComponentConfig
{
    public int BaseDim { get; init; } = 96;
    public int? DecoderBaseDim { get; init; }
    public int ZDim { get; init; } = 16;
    public int[] DimMult { get; init; } = [1, 2, 4, 4];
    public int NumResBlocks { get; init; } = 2;
    public double[] AttnScales { get; init; } = [];
    public bool[] TemperalDownsample { get; init; } = [false, true, true];
    public double Dropout { get; init; }
    public required double[] LatentsMean { get; init; }
    public required double[] LatentsStd { get; init; }
    public bool IsResidual { get; init; }
    public int InChannels { get; init; } = 3;
    public int OutChannels { get; init; } = 3;
    public int? PatchSize { get; init; }
    public int ScaleFactorTemporal { get; init; } = 4;
    public int ScaleFactorSpatial { get; init; } = 8;
    public bool ClipOutput { get; init; } = true;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseDim <= 0 || BaseDim % 2 != 0)
        {
            errors.Add("base_dim must be positive and even (the upsample convs halve the width).");
        }

        if (DecoderBaseDim is not null && DecoderBaseDim != BaseDim)
        {
            errors.Add("decoder_base_dim different from base_dim is not supported (Wan 2.1 uses null).");
        }

        if (ZDim <= 0 || LatentsMean.Length != ZDim || LatentsStd.Length != ZDim)
        {
            errors.Add("z_dim must be positive and latents_mean/latents_std must have z_dim entries.");
        }

        if (LatentsStd.Any(s => s <= 0))
        {
            errors.Add("latents_std entries must be positive.");
        }

        if (DimMult.Length < 2 || DimMult.Any(m => m <= 0) || TemperalDownsample.Length != DimMult.Length - 1)
        {
            errors.Add("dim_mult needs at least 2 positive entries and temperal_downsample one fewer.");
        }

        if (NumResBlocks <= 0)
        {
            errors.Add("num_res_blocks must be positive.");
        }

        if (AttnScales.Length != 0)
        {
            errors.Add("attn_scales must be empty (MOVA's Wan 2.1 VAE has no down/up-block attention).");
        }

        if (IsResidual || PatchSize is not null)
        {
            errors.Add("is_residual and patch_size belong to the Wan 2.2 VAE, which MOVA does not use.");
        }

        if (InChannels != 3 || OutChannels != 3)
        {
            errors.Add("in_channels and out_channels must be 3 (RGB).");
        }

        int temporal = 1 << TemperalDownsample.Count(t => t);
        int spatial = 1 << (DimMult.Length - 1);
        if (ScaleFactorTemporal != temporal || ScaleFactorSpatial != spatial)
        {
            errors.Add($"scale_factor_temporal/spatial ({ScaleFactorTemporal}/{ScaleFactorSpatial}) disagree with the layout ({temporal}/{spatial}).");
        }

        return errors;
    }
}
