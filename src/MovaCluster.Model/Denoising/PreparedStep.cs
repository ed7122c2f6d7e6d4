using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// A model evaluation after the stem (time/text embeddings, patchify, RoPE tables) and before the layers: what a
/// pipeline of layer-range shards passes along, plus what the heads need at the end.
/// </summary>
public sealed class PreparedStep : IDisposable
{
    public PreparedStep(
        VideoExpert expert,
        DualTowerActivations activations,
        DualTowerConditioning conditioning,
        (long Frames, long Height, long Width) grid,
        torch.Tensor videoTimeEmbedding,
        torch.Tensor audioTimeEmbedding)
    {
        Expert = expert;
        Activations = activations;
        Conditioning = conditioning;
        Grid = grid;
        VideoTimeEmbedding = videoTimeEmbedding;
        AudioTimeEmbedding = audioTimeEmbedding;
    }

    public VideoExpert Expert { get; }
    public DualTowerActivations Activations { get; }
    public DualTowerConditioning Conditioning { get; }
    public (long Frames, long Height, long Width) Grid { get; }
    public torch.Tensor VideoTimeEmbedding { get; }
    public torch.Tensor AudioTimeEmbedding { get; }

    public void Dispose()
    {
        Activations.Dispose();
        Conditioning.Dispose();
        VideoTimeEmbedding.Dispose();
        AudioTimeEmbedding.Dispose();
    }
}
