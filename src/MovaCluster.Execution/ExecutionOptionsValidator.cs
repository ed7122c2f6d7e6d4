using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.Execution;

/// <summary>Checks the device list and executor settings, reporting every problem at once.</summary>
internal sealed class ExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        var failures = new List<string>();
        foreach (var device in options.Devices)
        {
            try
            {
                DeviceContext.Parse(device);
            }
            catch (ArgumentException invalid)
            {
                failures.Add($"{ExecutionOptions.SectionName}:Devices: {invalid.Message}");
            }
        }

        if (options.Devices.Distinct(StringComparer.Ordinal).Count() != options.Devices.Count)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Devices lists a device twice.");
        }

        if (options.Synthetic.StepDelay < TimeSpan.Zero)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Synthetic:StepDelay must not be negative.");
        }

        if (options.Synthetic.VideoLatentValues < 16 || options.Synthetic.AudioLatentValues < 1)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Synthetic latent sizes must be at least 16 (video) and 1 (audio).");
        }

        var mova = options.Mova;
        if (options.Executor == ExecutorKind.Mova && mova.CheckpointPath.Length > 0 && !Directory.Exists(mova.CheckpointPath))
        {
            failures.Add($"{ExecutionOptions.SectionName}:Mova:CheckpointPath '{mova.CheckpointPath}' is not a folder.");
        }

        if (mova.WeightDType is not ("float32" or "bfloat16"))
        {
            failures.Add($"{ExecutionOptions.SectionName}:Mova:WeightDType must be \"float32\" or \"bfloat16\" (got \"{mova.WeightDType}\").");
        }

        if (mova.MaxPromptTokens is < 1 or > 4096)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Mova:MaxPromptTokens must be within [1, 4096].");
        }

        if (mova.MaxVolume < 0)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Mova:MaxVolume must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(mova.TinyModelCache))
        {
            failures.Add($"{ExecutionOptions.SectionName}:Mova:TinyModelCache must name a folder.");
        }

        if (options.Synthetic.MaxVolume < 1)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Synthetic:MaxVolume must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
