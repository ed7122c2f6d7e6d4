namespace MovaCluster.Model.Sampling;

/// <summary>
/// Evaluates the denoising network for one sampling step: the positive pass and, when the request carries a
/// negative context, the negative pass. The sampler owns CFG and the scheduler update, so implementations are free
/// to run the passes in sequence on one device (<see cref="LocalStepExecutor"/>), as a CFG-parallel pair, through a
/// chain of layer-range shards or on a simulated device.
/// </summary>
public interface IStepExecutor
{
    StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken);
}
