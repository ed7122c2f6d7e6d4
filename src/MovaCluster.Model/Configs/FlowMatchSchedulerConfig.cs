namespace MovaCluster.Model.Configs;

/// <summary>
/// Constructor arguments of the official FlowMatchPairScheduler (<c>scheduler/scheduler_config.json</c>), with the
/// code defaults. MOVA checkpoints set shift 5 and extra_one_step true.
/// </summary>
public sealed record FlowMatchSchedulerConfig : IComponentConfig
{
    public int NumInferenceSteps { get; init; } = 100;
    public int NumTrainTimesteps { get; init; } = 1000;
    public double Shift { get; init; } = 3.0;
    public double SigmaMax { get; init; } = 1.0;
    public double SigmaMin { get; init; } = 0.003 / 1.002;
    public bool InverseTimesteps { get; init; }
    public bool ExtraOneStep { get; init; }
    public bool ReverseSigmas { get; init; }
    public bool ExponentialShift { get; init; }
    public double? ExponentialShiftMu { get; init; }
    public double? ShiftTerminal { get; init; }

    /// <summary>The configuration MOVA checkpoints ship.</summary>
    public static FlowMatchSchedulerConfig Mova { get; } = new() { NumInferenceSteps = 50, Shift = 5.0, ExtraOneStep = true };

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (NumTrainTimesteps <= 0 || NumInferenceSteps <= 0)
        {
            errors.Add("num_train_timesteps and num_inference_steps must be positive.");
        }

        if (!(Shift > 0))
        {
            errors.Add($"shift must be positive (got {Shift}).");
        }

        if (!(SigmaMax > SigmaMin) || SigmaMin < 0)
        {
            errors.Add($"sigma_max ({SigmaMax}) must exceed sigma_min ({SigmaMin}) >= 0.");
        }

        if (ExponentialShift && ExponentialShiftMu is null)
        {
            errors.Add("exponential_shift needs exponential_shift_mu.");
        }

        if (ShiftTerminal is { } terminal && !(terminal < 1))
        {
            errors.Add($"shift_terminal must be below 1 (got {terminal}).");
        }

        return errors;
    }
}
