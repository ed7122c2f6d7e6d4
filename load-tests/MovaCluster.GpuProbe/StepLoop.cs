using MovaCluster.Model.Sampling;

namespace MovaCluster.GpuProbe;

/// <summary>Runs the real sampler, timing each step, and stops at a step boundary once the budget is spent.</summary>
internal static class StepLoop
{
    public static void Run(IStepExecutor executor, SamplingRequest request, SamplerOptions options, StepTimes times, int? endStep = null)
    {
        using var budget = new CancellationTokenSource();
        times.Start();
        try
        {
            using var state = MovaSampler.RunUntil(executor, request, options, endStep ?? options.NumInferenceSteps, onStep: _ =>
            {
                if (times.Step())
                {
                    budget.Cancel();
                }
            }, cancellationToken: budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            ProbeContext.Log($"  budget spent after {times.Timed} timed step(s)");
        }
    }
}
