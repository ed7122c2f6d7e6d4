using Microsoft.Extensions.Options;

namespace MovaCluster.Model.Text;

/// <summary>Validates <see cref="TextEmbeddingCacheOptions"/> at start, reporting every failure at once.</summary>
public sealed class TextEmbeddingCacheOptionsValidator : IValidateOptions<TextEmbeddingCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TextEmbeddingCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
