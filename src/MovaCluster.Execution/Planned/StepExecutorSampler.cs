using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Runs each job's sampling loop on its own thread against one step executor. Jobs are not serialized: with a
/// layer pipeline behind the executor, concurrent jobs fill its stages.
/// </summary>
public sealed class StepExecutorSampler(IStepExecutor executor) : IPlanSampler
{
    public Task<SamplingResult> SampleAsync(SamplingRequest request, SamplerOptions options, Action<StepProgress>? onStep = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(
            () => MovaSampler.Run(executor, request, options, null, onStep, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
