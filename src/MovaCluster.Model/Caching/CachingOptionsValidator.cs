using Microsoft.Extensions.Options;

namespace MovaCluster.Model.Caching;

/// <summary>Validates <see cref="CachingOptions"/> at start, reporting every failure at once.</summary>
public sealed class CachingOptionsValidator : IValidateOptions<CachingOptions>
{
    public ValidateOptionsResult Validate(string? name, CachingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
