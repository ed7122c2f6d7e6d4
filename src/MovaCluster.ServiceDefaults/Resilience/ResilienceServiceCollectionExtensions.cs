using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MovaCluster.ServiceDefaults.Resilience;

public static class ResilienceServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="ResilienceOptions"/> (section <see cref="ResilienceOptions.SectionName"/>, validated at start) and the
    /// shared <see cref="OutageRetry"/>. Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddMovaResilience(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(OutageRetry)))
        {
            return services;
        }

        services.AddOptions<ResilienceOptions>().BindConfiguration(ResilienceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OutageRetry>();
        return services;
    }
}
