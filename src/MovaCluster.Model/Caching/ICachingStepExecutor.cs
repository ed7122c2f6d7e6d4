using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;

namespace MovaCluster.Model.Caching;

/// <summary>
/// A step executor that can run the step and block cache: it evaluates passes through <see cref="CachedPass"/> when
/// <c>StepRequest.Cache</c> is set, runs single passes (to rebuild a branch's cache on resume) and names the TeaCache
/// coefficients of the model it runs. The sampler refuses a cached job on any other executor.
/// </summary>
public interface ICachingStepExecutor : IStepExecutor
{
    /// <summary>The TeaCache polynomials of the loaded checkpoint (null when it has no <c>teacache.json</c>).</summary>
    TeaCacheCoefficients? TeaCache { get; }

    /// <summary>Runs one CFG branch's pass of <paramref name="request"/> (with its branch cache when the request has one).</summary>
    Velocity EvaluatePass(StepRequest request, CfgBranch branch, CancellationToken cancellationToken);
}
