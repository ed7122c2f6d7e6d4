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
}
