using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>A cost-model step: counters and timing only; checkpoints and previews carry no image content.</summary>
internal sealed class CostModelStepState(int completed, int total, VideoExpert expert, double simulatedSeconds, double compression) : IDenoiseStepState
{
    /// <summary>The step's length in simulated seconds (exact; <see cref="Duration"/> is the wall time, rounded to ticks).</summary>
    public double SimulatedSeconds => simulatedSeconds;

    public int CompletedSteps => completed;

    public int TotalSteps => total;

    public VideoExpert Expert => expert;

    public TimeSpan Duration => TimeSpan.FromSeconds(simulatedSeconds / compression);

    public DenoiseCheckpoint CaptureCheckpoint() => new(completed, new LatentBuffer([1], [completed]), new LatentBuffer([1], [completed]));

    /// <summary>A single zero latent pixel (a flat grey preview) and a silent one-frame audio latent.</summary>
    public PreviewLatents CapturePreview(int maxVideoFrames) =>
        new(new LatentBuffer([16, 1, 1, 1], new float[16]), new LatentBuffer([1, 1], [0f]), 50.0);
}
