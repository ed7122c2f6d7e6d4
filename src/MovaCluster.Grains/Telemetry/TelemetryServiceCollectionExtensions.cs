using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MovaCluster.Grains.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Registers the runtime's meters (created eagerly by the first grain that needs them).</summary>
    public static IServiceCollection AddMovaRuntimeTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueGauges>();
        services.TryAddSingleton<WorkerUtilisation>();
        services.TryAddSingleton<MovaMetrics>();
        return services;
    }
}
