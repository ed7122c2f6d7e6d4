using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Execution;

/// <summary>
/// The sampler's state right after a step, handed to the observer on the device thread. Capture methods copy
/// from device tensors, so they are only valid during the observer call.
/// </summary>
public interface IDenoiseStepState
{
    /// <summary>Steps done, counting this one.</summary>
    int CompletedSteps { get; }

    int TotalSteps { get; }

    VideoExpert Expert { get; }

    /// <summary>Wall time of this step on the device.</summary>
    TimeSpan Duration { get; }

    DenoiseCheckpoint CaptureCheckpoint();

    /// <summary>Copies the latents a preview needs: at most <paramref name="maxVideoFrames"/> evenly spaced video latent frames (first and last included) and the audio latent.</summary>
    PreviewLatents CapturePreview(int maxVideoFrames);
}
