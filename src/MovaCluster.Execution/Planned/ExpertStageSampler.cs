using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Expert stages (plan part "experts"): the high-noise group runs a job's steps up to the expert boundary, hands
/// the job over as a <see cref="SamplerState"/>, and the low-noise group finishes it. Each group takes one job
/// at a time, so two jobs are in flight: one per stage.
/// </summary>
public sealed class ExpertStageSampler(IStepExecutor highNoise, IStepExecutor lowNoise) : IPlanSampler, IDisposable
{
    private readonly SemaphoreSlim _highGroup = new(1, 1);
    private readonly SemaphoreSlim _lowGroup = new(1, 1);

    public async Task<SamplingResult> SampleAsync(SamplingRequest request, SamplerOptions options, Action<StepProgress>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var boundary = MovaSampler.FirstLowNoiseStep(options);
        SamplerState handOver;
        await _highGroup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            handOver = await OnOwnThread(() => MovaSampler.RunUntil(highNoise, request, options, boundary, null, onStep, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _highGroup.Release();
        }

        using (handOver)
        {
            await _lowGroup.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await OnOwnThread(() => MovaSampler.Run(lowNoise, request, options, handOver, onStep, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _lowGroup.Release();
            }
        }
    }

    public void Dispose()
    {
        _highGroup.Dispose();
        _lowGroup.Dispose();
    }

    private static Task<T> OnOwnThread<T>(Func<T> loop, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(loop, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
