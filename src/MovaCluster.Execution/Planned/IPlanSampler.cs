using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Runs whole sampling loops on one replica of an execution plan. Several jobs may be submitted at once; the
/// replica keeps as many in flight as its plan allows (one per expert-stage group, or any number interleaved
/// through a layer pipeline).
/// </summary>
public interface IPlanSampler
{
    /// <summary>Samples one job; the result's latents belong to the caller.</summary>
    Task<SamplingResult> SampleAsync(SamplingRequest request, SamplerOptions options, Action<StepProgress>? onStep = null, CancellationToken cancellationToken = default);
}
