using Microsoft.Extensions.Options;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Grains.Adapters;

/// <summary>Checks <see cref="LoraRegistryOptions"/> at start.</summary>
internal sealed class LoraRegistryOptionsValidator : IValidateOptions<LoraRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, LoraRegistryOptions options)
    {
        var failures = new List<string>();
        const string Section = LoraRegistryOptions.SectionName;
        foreach (var root in options.ReferenceRoots)
        {
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                failures.Add($"{Section}:ReferenceRoots: '{root}' is not an absolute folder path.");
            }
        }

        foreach (var prefix in options.ObjectKeyPrefixes)
        {
            if (!prefix.EndsWith('/') || !ObjectKey.IsValid(prefix[..^1]))
            {
                failures.Add($"{Section}:ObjectKeyPrefixes: '{prefix}' is not an object-key prefix ending in '/'.");
            }
        }

        if (options.DeletedContentRetention < TimeSpan.Zero || options.CollectInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:DeletedContentRetention must not be negative and CollectInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
