namespace MovaCluster.Model.Configs;

/// <summary>Constructor arguments of the official WanAudioModel (audio tower), <c>audio_dit/config.json</c>.</summary>
public sealed record WanAudioModelConfig : IComponentConfig
{
    public required int Dim { get; init; }
    public required int InDim { get; init; }
    public required int FfnDim { get; init; }
    public required int OutDim { get; init; }
    public required int TextDim { get; init; }
    public required int FreqDim { get; init; }
    public double Eps { get; init; } = 1e-6;
    public int[] PatchSize { get; init; } = [1];
    public required int NumHeads { get; init; }
    public required int NumLayers { get; init; }
    public bool HasImageInput { get; init; }
    public bool HasImagePosEmb { get; init; }
    public bool HasRefConv { get; init; }
    public bool AddControlAdapter { get; init; }
    public int InDimControlAdapter { get; init; } = 24;
    public bool SeperatedTimestep { get; init; }
    public bool RequireVaeEmbedding { get; init; } = true;
    public bool RequireClipEmbedding { get; init; }
    public bool FuseVaeEmbeddingInLatents { get; init; }
    public string VaeType { get; init; } = "dac";

    /// <summary>Channels per attention head.</summary>
    public int HeadDim => Dim / NumHeads;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = TowerConfigRules.Common(Dim, InDim, FfnDim, OutDim, TextDim, FreqDim, Eps, NumHeads, NumLayers);
        if (PatchSize is not [1])
        {
            errors.Add("patch_size must be [1] for the audio tower.");
        }

        if (NumHeads > 0 && Dim % NumHeads == 0 && (Dim / NumHeads) % 2 != 0)
        {
            errors.Add("head dim (dim / num_heads) must be even for the 1-D RoPE.");
        }

        if (VaeType != "dac")
        {
            errors.Add($"vae_type '{VaeType}' is not supported (MOVA checkpoints use \"dac\").");
        }

        if (HasImageInput || HasImagePosEmb || HasRefConv || AddControlAdapter || SeperatedTimestep || RequireClipEmbedding || FuseVaeEmbeddingInLatents)
        {
            errors.Add("has_image_input, has_image_pos_emb, has_ref_conv, add_control_adapter, seperated_timestep, " +
                "require_clip_embedding and fuse_vae_embedding_in_latents are not used by MOVA and must be false.");
        }

        return errors;
    }
}
