using MovaCluster.Contracts.Jobs;
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

    /// <summary>The step and block cache's work over the job so far, this step included (null when uncached).</summary>
    CacheUsage? Cache => null;

    /// <summary>This step's work in uncached-step units: the share of an uncached step's layer evaluations it computed.</summary>
    double Work => 1;

    /// <summary>Expected work of the steps left, in uncached-step units (a cached job's forecast; else the steps left).</summary>
    double RemainingWork => TotalSteps - CompletedSteps;

    DenoiseCheckpoint CaptureCheckpoint();

    /// <summary>Copies the latents a preview needs: at most <paramref name="maxVideoFrames"/> evenly spaced video latent frames (first and last included) and the audio latent.</summary>
    PreviewLatents CapturePreview(int maxVideoFrames);
}
