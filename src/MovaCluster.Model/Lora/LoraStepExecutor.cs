using MovaCluster.Model.Sampling;

namespace MovaCluster.Model.Lora;

/// <summary>
/// Runs an inner executor with a job's adapters applied unmerged to every pass of every step (both CFG passes, as
/// the official pipeline does). The inner executor must run the runtime's layers on the calling thread.
/// </summary>
public sealed class LoraStepExecutor(IStepExecutor inner, LoraRuntime runtime, LoraSet set) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        using var activation = runtime.Activate(set);
        return inner.Evaluate(request, cancellationToken);
    }
}
