using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Sends each step to the executor of the expert-stage group that holds the step's expert. A drop-in
/// <see cref="IStepExecutor"/> for code that runs one whole sampling loop itself (e.g. <c>MovaPipeline</c>): it uses
/// the plan's devices but keeps one job in flight; <see cref="ExpertStageSampler"/> keeps two.
/// </summary>
public sealed class ExpertRoutingStepExecutor(IStepExecutor highNoise, IStepExecutor lowNoise) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.Expert == VideoExpert.HighNoise ? highNoise : lowNoise).Evaluate(request, cancellationToken);
    }
}
