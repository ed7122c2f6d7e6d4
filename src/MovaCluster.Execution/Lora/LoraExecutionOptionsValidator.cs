using Microsoft.Extensions.Options;

namespace MovaCluster.Execution.Lora;

/// <summary>Checks <see cref="ExecutionOptions.Lora"/> at start.</summary>
public sealed class LoraExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lora = options.Lora;
        var problems = new List<string>();
        if (lora.DeviceBudgetBytes < 0)
        {
            problems.Add("Mova:Execution:Lora:DeviceBudgetBytes must not be negative.");
        }

        if (lora.MergeAfterJobs < 0)
        {
            problems.Add("Mova:Execution:Lora:MergeAfterJobs must be 0 (never merge) or more.");
        }

        if (string.IsNullOrWhiteSpace(lora.FileCacheFolder))
        {
            problems.Add("Mova:Execution:Lora:FileCacheFolder is required.");
        }

        if (lora.FileCacheBytes <= 0)
        {
            problems.Add("Mova:Execution:Lora:FileCacheBytes must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
