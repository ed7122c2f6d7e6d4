using MovaCluster.Model.Caching;
using MovaCluster.Model.Sampling;

namespace MovaCluster.Model.Pipeline;

/// <summary>
/// Optional ways into a <see cref="MovaPipeline.Generate(MovaGenerationRequest, MovaGenerationHooks, CancellationToken)"/>
/// run: a state to resume denoising from, and callbacks on the calling (device) thread.
/// </summary>
public sealed record MovaGenerationHooks
{
    /// <summary>Continue denoising from this state instead of the seeded noise (the caller keeps and disposes it).</summary>
    public SamplerState? Resume { get; init; }

    /// <summary>Called when the run enters a phase: encoding, each expert's denoising, decoding.</summary>
    public Action<GenerationPhase>? OnPhase { get; init; }

    /// <summary>Called after every denoising step with the sampler's latents (valid only during the call).</summary>
    public Action<StepProgress>? OnStep { get; init; }

    /// <summary>Records TeaCache calibration samples from this uncached run (see <see cref="TeaCacheCalibrator"/>).</summary>
    public CacheCalibrationRecorder? CacheCalibration { get; init; }
}
