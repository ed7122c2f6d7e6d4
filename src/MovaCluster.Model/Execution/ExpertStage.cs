namespace MovaCluster.Model.Execution;

/// <summary>Which video expert ran a denoising step (MOVA switches from high- to low-noise at the boundary ratio).</summary>
public enum ExpertStage
{
    HighNoise,
    LowNoise,
}
