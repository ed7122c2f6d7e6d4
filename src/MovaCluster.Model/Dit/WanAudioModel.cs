using MovaCluster.Model.Configs;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>The audio tower (official WanAudioModel): Conv1d patch embedding, 1-D RoPE, same block stack and head.</summary>
public sealed class WanAudioModel : DiffusionTower
{
    private readonly PatchEmbedding _patchEmbedding;
    private readonly RopeCache<long, torch.Tensor> _rope = new(16);

    public WanAudioModel(WanAudioModelConfig config, ParameterFactory factory)
        : base(nameof(WanAudioModel), TowerShape.From(config), factory)
    {
        Config = config;
        _patchEmbedding = new PatchEmbedding(config.InDim, config.Dim, config.PatchSize, factory.Child("patch_embedding"));
        register_module("patch_embedding", _patchEmbedding);
    }

    /// <summary>The validated config the tower was built from.</summary>
    public WanAudioModelConfig Config { get; }

    /// <summary>Audio latents [B, in_dim, Ta] → tokens [B, Ta, D].</summary>
    public torch.Tensor Patchify(torch.Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        return _patchEmbedding.forward(x.to(ComputeDType, Device)).transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Head output [B, Ta, out] → [B, out, Ta].</summary>
    public static torch.Tensor Unpatchify(torch.Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.transpose(1, 2).contiguous();
    }

    /// <summary>The cached complex128 1-D RoPE table [Ta, 1, headDim/2].</summary>
    public torch.Tensor RopeFor(long length) =>
        _rope.GetOrAdd(length, l => RotaryTables.Audio(Shape.HeadDim, l, Device).DetachFromDisposeScope());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rope.Dispose();
        }

        base.Dispose(disposing);
    }
}
