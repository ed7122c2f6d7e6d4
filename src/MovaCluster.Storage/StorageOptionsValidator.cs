using Microsoft.Extensions.Options;

namespace MovaCluster.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start and reports every problem at once.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <summary>The longest presigned-URL lifetime S3 accepts.</summary>
    public static readonly TimeSpan MaxLinkExpiry = TimeSpan.FromDays(7);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.DownloadLinkExpiry <= TimeSpan.Zero || options.DownloadLinkExpiry > MaxLinkExpiry)
        {
            failures.Add($"{nameof(StorageOptions.DownloadLinkExpiry)} must be positive and at most 7 days (was {options.DownloadLinkExpiry}).");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"{nameof(StorageOptions.MaxAttempts)} must be between 1 and 20 (was {options.MaxAttempts}).");
        }

        if (options.InitialRetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.InitialRetryDelay)
        {
            failures.Add($"{nameof(StorageOptions.InitialRetryDelay)} must be non-negative and not above {nameof(StorageOptions.MaxRetryDelay)}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(StorageOptions.RequestTimeout)} must be positive.");
        }

        switch (options.Provider)
        {
            case ClipStoreProvider.S3:
                ValidateS3(options.S3, failures);
                break;
            case ClipStoreProvider.LocalDisk:
                ValidateLocalDisk(options.LocalDisk, failures);
                break;
            default:
                failures.Add($"{nameof(StorageOptions.Provider)} '{options.Provider}' is not LocalDisk or S3.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateS3(S3StoreOptions s3, List<string> failures)
    {
        const string Prefix = nameof(StorageOptions.S3) + ":";
        if (string.IsNullOrWhiteSpace(s3.Endpoint) || s3.Endpoint.Contains("://", StringComparison.Ordinal))
        {
            failures.Add($"{Prefix}{nameof(S3StoreOptions.Endpoint)} must be host:port without a scheme (was '{s3.Endpoint}').");
        }

        if (s3.PublicEndpoint.Contains("://", StringComparison.Ordinal))
        {
            failures.Add($"{Prefix}{nameof(S3StoreOptions.PublicEndpoint)} must be host:port without a scheme (was '{s3.PublicEndpoint}').");
        }

        if (string.IsNullOrEmpty(s3.AccessKey) || string.IsNullOrEmpty(s3.SecretKey))
        {
            failures.Add($"{Prefix}{nameof(S3StoreOptions.AccessKey)} and {nameof(S3StoreOptions.SecretKey)} are required.");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            failures.Add($"{Prefix}{nameof(S3StoreOptions.Region)} is required.");
        }

        // S3 bucket naming: 3-63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric.
        var bucket = s3.Bucket;
        var bucketOk = bucket.Length is >= 3 and <= 63
            && bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
            && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1]);
        if (!bucketOk)
        {
            failures.Add($"{Prefix}{nameof(S3StoreOptions.Bucket)} '{bucket}' is not a valid S3 bucket name.");
        }
    }

    private static void ValidateLocalDisk(LocalDiskStoreOptions local, List<string> failures)
    {
        const string Prefix = nameof(StorageOptions.LocalDisk) + ":";
        if (local.RootPath.Length > 0 && string.IsNullOrWhiteSpace(local.RootPath))
        {
            failures.Add($"{Prefix}{nameof(LocalDiskStoreOptions.RootPath)} must be a folder or empty (the shared default).");
        }

        if (!Uri.TryCreate(local.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || !local.PublicBaseUrl.EndsWith('/') || baseUrl.Scheme is not ("http" or "https"))
        {
            failures.Add($"{Prefix}{nameof(LocalDiskStoreOptions.PublicBaseUrl)} must be an absolute http(s) URL ending in '/' (was '{local.PublicBaseUrl}').");
        }

        if (local.SigningKey.Length is > 0 and < 32)
        {
            failures.Add($"{Prefix}{nameof(LocalDiskStoreOptions.SigningKey)} must be empty or at least 32 characters.");
        }
    }
}
