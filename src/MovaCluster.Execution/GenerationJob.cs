using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;

namespace MovaCluster.Execution;

/// <summary>
/// One attempt of a job as a device runs it: the request exactly as the gateway submitted it, the seed the job
/// fixed at submission and, for a resumed attempt, the checkpoint to continue from.
/// </summary>
public sealed record GenerationJob
{
    public required string JobId { get; init; }

    public required GenerationRequest Request { get; init; }

    /// <summary>The request's seed, or the one the job drew at submission when the request had none.</summary>
    public required long Seed { get; init; }

    /// <summary>When set, denoising continues after this checkpoint instead of starting from noise.</summary>
    public DenoiseCheckpoint? ResumeFrom { get; init; }

    /// <summary>Local folders holding the files of the request's LoRA adapters, by digest (fetched by the worker).</summary>
    public IReadOnlyDictionary<string, string> LoraFolders { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
