using System.Diagnostics;
using MovaCluster.Execution;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Sits between the executor and the progress pump and notes when the run last moved (a step or a phase change),
/// so the worker can tell a long step from a hung device thread and stop vouching for the job.
/// </summary>
internal sealed class ProgressLiveness(IGenerationObserver inner) : IGenerationObserver
{
    private long _lastProgress = Stopwatch.GetTimestamp();

    /// <summary>Time since the last step or phase change (or since the run began).</summary>
    public TimeSpan SinceLastProgress => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress));

    public void OnPhase(GenerationPhase phase)
    {
        Touch();
        inner.OnPhase(phase);
    }

    public void OnStep(IDenoiseStepState step)
    {
        Touch();
        inner.OnStep(step);
    }

    private void Touch() => Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
}
