using System.Text;

namespace MovaCluster.Model.Execution.CostModel;

/// <summary>A cost-model step: counters and timing only; checkpoints and previews carry no image content.</summary>
internal sealed class CostModelStepState(int completed, int total, ExpertStage expert, double simulatedSeconds, double compression) : IDenoiseStepState
{
    /// <summary>The step's length in simulated seconds (exact; <see cref="Duration"/> is the wall time, rounded to ticks).</summary>
    public double SimulatedSeconds => simulatedSeconds;

    public int CompletedSteps => completed;

    public int TotalSteps => total;

    public ExpertStage Expert => expert;

    public TimeSpan Duration => TimeSpan.FromSeconds(simulatedSeconds / compression);

    public DenoiseCheckpoint CaptureCheckpoint() => new(completed, new LatentBuffer([1], [completed]), new LatentBuffer([1], [completed]));

    public StepPreview RenderPreview()
    {
        var header = Encoding.ASCII.GetBytes("P5\n1 1\n255\n");
        return new StepPreview([.. header, 128], "image/x-portable-graymap", null, 0);
    }
}
