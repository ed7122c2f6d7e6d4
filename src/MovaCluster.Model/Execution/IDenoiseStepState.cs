namespace MovaCluster.Model.Execution;

/// <summary>
/// The sampler's state right after a step, handed to the observer on the device thread. Capture methods copy
/// from device tensors, so they are only valid during the observer call.
/// </summary>
public interface IDenoiseStepState
{
    /// <summary>Steps done, counting this one.</summary>
    int CompletedSteps { get; }

    int TotalSteps { get; }

    ExpertStage Expert { get; }

    /// <summary>Wall time of this step on the device.</summary>
    TimeSpan Duration { get; }

    DenoiseCheckpoint CaptureCheckpoint();

    StepPreview RenderPreview();
}
