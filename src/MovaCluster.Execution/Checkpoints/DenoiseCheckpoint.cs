namespace MovaCluster.Execution.Checkpoints;

/// <summary>
/// Everything needed to continue a denoising loop on another worker: the number of steps done and the video and
/// audio latents after them. The flow-matching sampler is deterministic after its initial noise, so resuming from
/// this state gives the same result as never stopping. <paramref name="LoraMerged"/> says the job's LoRA set ran folded
/// into the weights: a resumed attempt runs it the same way, since merged and unmerged agree only to rounding.
/// </summary>
public sealed record DenoiseCheckpoint(int CompletedSteps, LatentBuffer Video, LatentBuffer Audio, bool LoraMerged = false)
{
    /// <summary>
    /// For a job with a step and block cache: the executor's resumable state with what rebuilds the cache (for MOVA a
    /// sampler-state safetensors file: anchor latents, scalars, totals); null for an uncached job.
    /// </summary>
    public byte[]? CacheState { get; init; }
}
