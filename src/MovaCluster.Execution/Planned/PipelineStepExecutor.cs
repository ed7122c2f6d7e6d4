using MovaCluster.Model.Sampling;

namespace MovaCluster.Execution.Planned;

/// <summary>Both CFG passes of a step through one layer pipeline, one after the other (plans "replica" and "pipelineN").</summary>
public sealed class PipelineStepExecutor(LayerPipeline pipeline) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var positive = pipeline.PassAsync(request.Expert, request.ToInput(request.PositiveContext), cancellationToken).GetAwaiter().GetResult();
        try
        {
            var negative = request.NegativeContext is null
                ? null
                : pipeline.PassAsync(request.Expert, request.ToInput(request.NegativeContext), cancellationToken).GetAwaiter().GetResult();
            return new StepVelocities(positive, negative);
        }
        catch
        {
            positive.Dispose();
            throw;
        }
    }
}
