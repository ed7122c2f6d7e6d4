using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// One model evaluation's inputs (official <c>inference_single_step</c>): the 36-channel video input
/// [1, 36, T, H, W] = latents16 | mask4 | condition16, audio latents [1, C, Ta], the prompt embedding
/// [1, Lc, text_dim], float32 timesteps for video and audio, and the video frame rate.
/// </summary>
public sealed record StepInput(
    torch.Tensor VideoInput,
    torch.Tensor AudioLatents,
    torch.Tensor Context,
    float Timestep,
    float AudioTimestep,
    double VideoFps,
    double AudioToVideoScale = 1.0,
    double VideoToAudioScale = 1.0);
