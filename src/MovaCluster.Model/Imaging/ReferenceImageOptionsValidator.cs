using Microsoft.Extensions.Options;

namespace MovaCluster.Model.Imaging;

/// <summary>Validates <see cref="ReferenceImageOptions"/> at start, reporting every failure at once.</summary>
public sealed class ReferenceImageOptionsValidator : IValidateOptions<ReferenceImageOptions>
{
    public ValidateOptionsResult Validate(string? name, ReferenceImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
