using Microsoft.Extensions.Options;

namespace MovaCluster.Api.Loras;

/// <summary>Checks <see cref="LoraApiOptions"/> at start.</summary>
internal sealed class LoraApiOptionsValidator : IValidateOptions<LoraApiOptions>
{
    public ValidateOptionsResult Validate(string? name, LoraApiOptions options)
    {
        const string Section = LoraApiOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxAdapterBytes <= 0)
        {
            failures.Add($"{Section}:MaxAdapterBytes must be positive.");
        }

        if (options.MaxAdaptersPerTenant < 0 || options.MaxSharedAdapters < 0)
        {
            failures.Add($"{Section}:MaxAdaptersPerTenant and MaxSharedAdapters must not be negative.");
        }

        if (options.MaxPerRequest is < 1 or > LoraApiOptions.ClusterMaxPerRequest)
        {
            failures.Add($"{Section}:MaxPerRequest must be between 1 and {LoraApiOptions.ClusterMaxPerRequest}.");
        }

        if (!double.IsFinite(options.MaxStrength) || options.MaxStrength <= 0)
        {
            failures.Add($"{Section}:MaxStrength must be a positive number.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
