using Microsoft.Extensions.Options;
using MovaCluster.Planning;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>Checks the cost-model settings, reporting every problem at once.</summary>
internal sealed class CostModelExecutorOptionsValidator : IValidateOptions<CostModelExecutorOptions>
{
    public ValidateOptionsResult Validate(string? name, CostModelExecutorOptions options)
    {
        var failures = new List<string>();
        var section = CostModelExecutorOptions.SectionName;
        try
        {
            ExecutionPlan.Parse(options.Plan);
        }
        catch (Exception invalid) when (invalid is FormatException or ArgumentException)
        {
            failures.Add($"{section}:Plan: {invalid.Message}");
        }

        if (options.GpuMemoryGb is not (24 or 48 or 80 or 141))
        {
            failures.Add($"{section}:GpuMemoryGb must be 24, 48, 80 or 141 (got {options.GpuMemoryGb}).");
        }

        if (options.GpusPerNode < 1)
        {
            failures.Add($"{section}:GpusPerNode must be at least 1.");
        }

        if (!(options.TimeCompression > 0) || double.IsInfinity(options.TimeCompression))
        {
            failures.Add($"{section}:TimeCompression must be a positive number.");
        }

        if (options.WorkersPerReplica < 1)
        {
            failures.Add($"{section}:WorkersPerReplica must be at least 1.");
        }

        if (options.MaxVolume < 1)
        {
            failures.Add($"{section}:MaxVolume must be positive.");
        }

        if (options.CheckpointFolder is { } folder && !Directory.Exists(folder))
        {
            failures.Add($"{section}:CheckpointFolder '{folder}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
