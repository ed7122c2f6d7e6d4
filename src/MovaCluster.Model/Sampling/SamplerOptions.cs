using MovaCluster.Model.Caching;
using MovaCluster.Model.Configs;

namespace MovaCluster.Model.Sampling;

/// <summary>Sampling settings. Defaults are the official script's: 50 steps, CFG 5, boundary 0.9, MOVA scheduler.</summary>
public sealed record SamplerOptions
{
    /// <summary>Number of denoising steps (default 50).</summary>
    public int NumInferenceSteps { get; init; } = 50;

    /// <summary>Text CFG scale (default 5.0); exactly 1.0 runs a single positive pass per step.</summary>
    public double CfgScale { get; init; } = 5.0;

    /// <summary>Expert boundary as a fraction of the training timesteps (default 0.9, from model_index.json).</summary>
    public double BoundaryRatio { get; init; } = 0.9;

    /// <summary>Scheduler configuration (default: MOVA's shift 5, extra_one_step).</summary>
    public FlowMatchSchedulerConfig Scheduler { get; init; } = FlowMatchSchedulerConfig.Mova;

    /// <summary>Step and block cache of the job (default null: off, every pass computes every layer).</summary>
    public CacheSettings? Cache { get; init; }

    /// <summary>Records TeaCache calibration samples from this (uncached) run (default null).</summary>
    public CacheCalibrationRecorder? CacheCalibration { get; init; }
}
