using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Sampling;

/// <summary>Runs both CFG passes one after the other on the denoiser's own device (the official pipeline's way).</summary>
public sealed class LocalStepExecutor(MovaDenoiser denoiser) : IStepExecutor
{
    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var positive = denoiser.Predict(request.Expert, request.ToInput(request.PositiveContext), cancellationToken);
        try
        {
            var negative = request.NegativeContext is null
                ? null
                : denoiser.Predict(request.Expert, request.ToInput(request.NegativeContext), cancellationToken);
            return new StepVelocities(positive, negative);
        }
        catch
        {
            positive.Dispose();
            throw;
        }
    }
}
