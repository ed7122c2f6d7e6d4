using MovaCluster.Model.Configs;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Dit;

/// <summary>
/// The video tower (official WanModel; MOVA builds two, the high- and low-noise experts). Keys:
/// patch_embedding.*, text_embedding.*, time_embedding.*, time_projection.*, blocks.{i}.*, head.*.
/// </summary>
public sealed class WanModel : DiffusionTower
{
    private readonly PatchEmbedding _patchEmbedding;
    private readonly RopeCache<(long, long, long), torch.Tensor> _rope = new(16);

    public WanModel(WanModelConfig config, ParameterFactory factory)
        : base(nameof(WanModel), TowerShape.From(config), factory)
    {
        Config = config;
        _patchEmbedding = new PatchEmbedding(config.InDim, config.Dim, config.PatchSize, factory.Child("patch_embedding"));
        register_module("patch_embedding", _patchEmbedding);
    }

    /// <summary>The validated config the tower was built from.</summary>
    public WanModelConfig Config { get; }

    /// <summary>
    /// x [B, in_dim, T, H, W] → tokens [B, L, D] in (frame, row, column) order and the token grid (T/pt, H/ph, W/pw).
    /// </summary>
    public (torch.Tensor Tokens, (long Frames, long Height, long Width) Grid) Patchify(torch.Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        var embedded = _patchEmbedding.forward(x.to(ComputeDType, Device));
        var grid = (embedded.shape[2], embedded.shape[3], embedded.shape[4]);
        var tokens = embedded.flatten(2).transpose(1, 2).contiguous();
        return (tokens.MoveToOuterDisposeScope(), grid);
    }

    /// <summary>Head output [B, L, out·pt·ph·pw] → [B, out, T, H, W]; per token the outputs are (pt, ph, pw, c), c fastest.</summary>
    public torch.Tensor Unpatchify(torch.Tensor x, (long Frames, long Height, long Width) grid)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (pt, ph, pw) = (Config.PatchSize[0], Config.PatchSize[1], Config.PatchSize[2]);
        using var scope = torch.NewDisposeScope();
        var blocks = x.view(x.shape[0], grid.Frames, grid.Height, grid.Width, pt, ph, pw, Config.OutDim);
        var ordered = blocks.permute(0, 7, 1, 4, 2, 5, 3, 6);
        return ordered.reshape(x.shape[0], Config.OutDim, grid.Frames * pt, grid.Height * ph, grid.Width * pw).MoveToOuterDisposeScope();
    }

    /// <summary>The cached complex128 3-D RoPE table [T·H·W, 1, headDim/2] for a token grid.</summary>
    public torch.Tensor RopeFor((long Frames, long Height, long Width) grid) =>
        _rope.GetOrAdd(grid, g => RotaryTables.Video(Shape.HeadDim, g.Item1, g.Item2, g.Item3, Device).DetachFromDisposeScope());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rope.Dispose();
        }

        base.Dispose(disposing);
    }
}
