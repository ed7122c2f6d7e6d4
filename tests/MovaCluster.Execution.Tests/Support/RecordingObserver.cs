using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Tests.Support;

/// <summary>Keeps what the executor reports, and the thread it reported from.</summary>
internal sealed class RecordingObserver(int checkpointAt = -1) : IGenerationObserver
{
    public List<GenerationPhase> Phases { get; } = [];

    public List<int> Steps { get; } = [];

    public HashSet<int> ThreadIds { get; } = [];

    public DenoiseCheckpoint? Checkpoint { get; private set; }

    public PreviewLatents? FirstPreview { get; private set; }

    public void OnPhase(GenerationPhase phase)
    {
        Phases.Add(phase);
        ThreadIds.Add(Environment.CurrentManagedThreadId);
    }

    public void OnStep(IDenoiseStepState step)
    {
        Steps.Add(step.CompletedSteps);
        ThreadIds.Add(Environment.CurrentManagedThreadId);
        FirstPreview ??= step.CapturePreview(4);
        if (step.CompletedSteps == checkpointAt)
        {
            Checkpoint = step.CaptureCheckpoint();
        }
    }
}
