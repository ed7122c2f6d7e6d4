using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MovaCluster.ServiceDefaults.Health;

/// <summary>
/// Registers readiness checks (answered by /health, not by /alive) once per name, so the several parts of a host that
/// depend on one service (the silo runtime and the API both need the clip store) can each ask for its check.
/// </summary>
public static class ReadinessChecks
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name, Func<IServiceProvider, IHealthCheck> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ReadinessCheckName) && Equals(descriptor.ServiceKey, name)))
        {
            return services;
        }

        services.AddKeyedSingleton(name, new ReadinessCheckName());
        services.AddHealthChecks().Add(new HealthCheckRegistration(name, factory, HealthStatus.Unhealthy, ["ready"], DefaultTimeout));
        return services;
    }
}
