using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// One step's model evaluation: the expert, the 36-channel video input [1, 36, T, H, W] (latents | mask | condition),
/// audio latents, the positive context, the negative context (null when CFG is off) and float32 timesteps.
/// </summary>
public sealed record StepRequest(
    int StepIndex,
    VideoExpert Expert,
    torch.Tensor VideoInput,
    torch.Tensor AudioLatents,
    torch.Tensor PositiveContext,
    torch.Tensor? NegativeContext,
    float Timestep,
    float AudioTimestep,
    double VideoFps)
{
    /// <summary>The job's step cache at this step (null when caching is off); only an <see cref="ICachingStepExecutor"/> honours it.</summary>
    public StepCache? Cache { get; init; }

    /// <summary>The single-evaluation input for <paramref name="context"/>.</summary>
    public StepInput ToInput(torch.Tensor context) => new(VideoInput, AudioLatents, context, Timestep, AudioTimestep, VideoFps);
}
