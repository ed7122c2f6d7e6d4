using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// Runs both CFG passes one after the other on the denoiser's own device (the official pipeline's way). Runs the step
/// and block cache when the request carries one, with <paramref name="teaCache"/> as the checkpoint's TeaCache
/// polynomials (null: no step-level caching above threshold 0).
/// </summary>
public sealed class LocalStepExecutor(MovaDenoiser denoiser, TeaCacheCoefficients? teaCache = null) : ICachingStepExecutor
{
    public TeaCacheCoefficients? TeaCache => teaCache;

    public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var positive = EvaluatePass(request, CfgBranch.Positive, cancellationToken);
        try
        {
            var negative = request.NegativeContext is null
                ? null
                : EvaluatePass(request, CfgBranch.Negative, cancellationToken);
            return new StepVelocities(positive, negative);
        }
        catch
        {
            positive.Dispose();
            throw;
        }
    }

    public Velocity EvaluatePass(StepRequest request, CfgBranch branch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Cache is not null)
        {
            return CachedPass.Run(denoiser, request, branch, cancellationToken);
        }

        var context = branch == CfgBranch.Positive
            ? request.PositiveContext
            : request.NegativeContext ?? throw new ArgumentException("A negative pass needs the negative context.", nameof(branch));
        return denoiser.Predict(request.Expert, request.ToInput(context), cancellationToken);
    }
}
