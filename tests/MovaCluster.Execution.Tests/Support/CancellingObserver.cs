using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Tests.Support;

/// <summary>Cancels <paramref name="cancel"/> when the executor reports step <paramref name="step"/> done.</summary>
internal sealed class CancellingObserver(int step, CancellationTokenSource cancel) : IGenerationObserver
{
    public int LastStep { get; private set; }

    public void OnPhase(GenerationPhase phase)
    {
    }

    public void OnStep(IDenoiseStepState state)
    {
        LastStep = state.CompletedSteps;
        if (state.CompletedSteps == step)
        {
            cancel.Cancel();
        }
    }
}
