using Microsoft.Extensions.Options;

namespace MovaCluster.Model.Execution;

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

        if (options.Simulated.StepDelay < TimeSpan.Zero)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Simulated:StepDelay must not be negative.");
        }

        if (options.Simulated.VideoLatentValues < 1 || options.Simulated.AudioLatentValues < 1)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Simulated latent sizes must be at least 1.");
        }

        if (options.Simulated.MaxVolume < 1)
        {
            failures.Add($"{ExecutionOptions.SectionName}:Simulated:MaxVolume must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
