using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// What a sampling run starts from: video noise [1, 16, T, H, W], audio noise [1, C, Ta], the 20-channel image
/// condition [1, 20, T, H, W] (see <see cref="ImageCondition"/>), prompt embeddings [1, Lc, text_dim] (rows past the
/// prompt length zeroed) and the video frame rate.
/// </summary>
public sealed record SamplingRequest(
    torch.Tensor VideoNoise,
    torch.Tensor AudioNoise,
    torch.Tensor Condition,
    torch.Tensor PromptEmbeddings,
    torch.Tensor NegativePromptEmbeddings,
    double VideoFps);
