namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>Settings of the synthetic test device (no model; see <see cref="SyntheticGenerationExecutor"/>), section <c>Mova:Execution:Synthetic</c>.</summary>
public sealed class SyntheticExecutorOptions
{
    /// <summary>Time each denoising step takes on the device thread. Default zero: a zero-cost device.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Number of video latent values the simulation evolves. Default 4096.</summary>
    public int VideoLatentValues { get; set; } = 4096;

    /// <summary>Number of audio latent values the simulation evolves. Default 1024.</summary>
    public int AudioLatentValues { get; set; } = 1024;

    /// <summary>Largest width x height x frames a simulated worker accepts. Default 640 x 352 x 193.</summary>
    public long MaxVolume { get; set; } = 640L * 352 * 193;

    /// <summary>Modeled time to read and bind an adapter the device does not hold. Default zero.</summary>
    public TimeSpan LoraLoadDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Modeled time to fold a set into the weights. Default zero.</summary>
    public TimeSpan LoraMergeDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Modeled time to put the base weights back. Default zero.</summary>
    public TimeSpan LoraRestoreDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Extra step time per unmerged adapter, as a fraction of <see cref="StepDelay"/>. Default 0.07 (rank 16, BENCHMARKS.md).</summary>
    public double LoraUnmergedStepOverhead { get; set; } = 0.07;
}
