using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Tests.Support;

/// <summary>Keeps each step's cache usage, work and remaining work, and a checkpoint at one step.</summary>
internal sealed class CacheRecordingObserver(int checkpointAt = -1) : IGenerationObserver
{
    public List<CacheUsage?> Usages { get; } = [];

    public List<double> Work { get; } = [];

    public List<double> RemainingWork { get; } = [];

    public List<TimeSpan> Durations { get; } = [];

    public DenoiseCheckpoint? Checkpoint { get; private set; }

    public void OnPhase(GenerationPhase phase)
    {
    }

    public void OnStep(IDenoiseStepState step)
    {
        Usages.Add(step.Cache);
        Work.Add(step.Work);
        RemainingWork.Add(step.RemainingWork);
        Durations.Add(step.Duration);
        if (step.CompletedSteps == checkpointAt)
        {
            Checkpoint = step.CaptureCheckpoint();
        }
    }
}
