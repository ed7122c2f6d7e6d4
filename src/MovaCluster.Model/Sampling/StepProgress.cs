using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// Reported after each completed step. The latents are the sampler's own tensors, valid only during the callback:
/// read or copy them (previews, checkpoints via <see cref="ToState"/>), never dispose or modify them.
/// </summary>
public sealed record StepProgress(int StepIndex, int TotalSteps, float Timestep, VideoExpert Expert, torch.Tensor VideoLatents, torch.Tensor AudioLatents)
{
    /// <summary>What the step and block cache did in this step (null when caching is off).</summary>
    public CacheStepRecord? Cache { get; init; }

    internal SamplingCache? CacheSource { get; init; }

    /// <summary>A resumable copy of the state after this step (with the cache state of a cached run).</summary>
    public SamplerState ToState() =>
        new(StepIndex + 1, VideoLatents.clone().DetachFromDisposeScope(), AudioLatents.clone().DetachFromDisposeScope()) { Cache = CacheSource?.Checkpoint() };
}
