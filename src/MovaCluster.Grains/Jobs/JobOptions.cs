namespace MovaCluster.Grains.Jobs;

/// <summary>Job grain settings (section <see cref="SectionName"/>).</summary>
public sealed class JobOptions
{
    public const string SectionName = "Mova:Jobs";

    /// <summary>Events kept per job for clients that reconnect. Default 512.</summary>
    public int EventBufferSize { get; set; } = 512;

    /// <summary>Largest accepted width x height x frames. Default 1280 x 720 x 193.</summary>
    public long MaxVolume { get; set; } = 1280L * 720 * 193;

    /// <summary>Most denoising steps a request may ask for. Default 200.</summary>
    public int MaxSteps { get; set; } = 200;
}
