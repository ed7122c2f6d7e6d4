namespace MovaCluster.Model.Denoising;

/// <summary>Which video tower evaluates a step: video_dit (high noise, first) or video_dit_2 (low noise).</summary>
public enum VideoExpert
{
    /// <summary>video_dit, used while t ≥ boundary.</summary>
    HighNoise,

    /// <summary>video_dit_2, used from the first step with t &lt; boundary.</summary>
    LowNoise,
}
