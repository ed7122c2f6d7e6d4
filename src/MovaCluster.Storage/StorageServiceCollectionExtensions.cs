using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Storage.Objects;
using MovaCluster.Storage.Retries;
using MovaCluster.Storage.S3;

namespace MovaCluster.Storage;

/// <summary>Registers the clip store chosen by <see cref="StorageOptions.Provider"/>.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>The named HttpClient used for ranged reads through presigned URLs.</summary>
    public const string HttpClientName = "MovaCluster.Storage.S3";

    /// <summary>
    /// Adds <see cref="IClipStore"/> (S3 or local disk) and the <see cref="IObjectStore"/> over the same bucket or folder, with <see cref="StorageOptions"/> bound from
    /// <c>Mova:Storage</c> and validated at start.
    /// </summary>
    public static IServiceCollection AddMovaStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageRetry>();
        services.AddHttpClient(HttpClientName);
        services.TryAddSingleton<IClipStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>();
            return options.Value.Provider switch
            {
                ClipStoreProvider.S3 => new S3ClipStore(
                    options,
                    provider.GetRequiredService<StorageRetry>(),
                    provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                    provider.GetRequiredService<ILogger<S3ClipStore>>()),
                _ => new LocalDiskClipStore(options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<LocalDiskClipStore>>()),
            };
        });
        services.TryAddSingleton<IObjectStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>();
            return options.Value.Provider switch
            {
                ClipStoreProvider.S3 => new S3ObjectStore(options, provider.GetRequiredService<StorageRetry>()),
                _ => new LocalDiskObjectStore(options),
            };
        });
        return services;
    }
}
