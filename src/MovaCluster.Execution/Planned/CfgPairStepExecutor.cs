using System.Runtime.ExceptionServices;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// A CFG-parallel pair: the positive pass on one pipeline and the negative pass on another, at the same time
/// (plan part "cfg"). Without a negative context only the positive pipeline works.
/// </summary>
public sealed class CfgPairStepExecutor(LayerPipeline positive, LayerPipeline negative) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var positivePass = positive.PassAsync(request.Expert, request.ToInput(request.PositiveContext), cancellationToken);
        var negativePass = request.NegativeContext is null
            ? Task.FromResult<Velocity?>(null)
            : NullableAsync(negative.PassAsync(request.Expert, request.ToInput(request.NegativeContext), cancellationToken));
        try
        {
            Task.WaitAll(positivePass, negativePass);
        }
        catch (AggregateException failure)
        {
            DisposeCompleted(positivePass);
            DisposeCompleted(negativePass);
            ExceptionDispatchInfo.Throw(failure.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? failure.InnerExceptions[0]);
            throw;
        }

        return new StepVelocities(positivePass.Result, negativePass.Result);
    }

    private static async Task<Velocity?> NullableAsync(Task<Velocity> pass) => await pass.ConfigureAwait(false);

    private static void DisposeCompleted<T>(Task<T> pass)
        where T : IDisposable?
    {
        if (pass.IsCompletedSuccessfully)
        {
            pass.Result?.Dispose();
        }
    }
}
