using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Dashboard.Telemetry;
using MovaCluster.Api.Tenancy;

namespace MovaCluster.Api.Dashboard;

public static class DashboardExtensions
{
    /// <summary>
    /// Path of the Orleans dashboard, operator-only: silos serve it there, and a gateway host forwards the same path to
    /// a silo through the "orleans-dashboard" YARP route of its ReverseProxy configuration.
    /// </summary>
    public const string OrleansDashboardPath = "/orleans-dashboard";

    /// <summary>The operator dashboard's sampler, its options (validated at start) and the gateway's meters.</summary>
    public static IServiceCollection AddMovaDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<DashboardHistory>();
        services.TryAddSingleton<DashboardSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardSampler>());
        return services;
    }

    /// <summary>/dashboard (page and operator-only API) and the operator gate in front of the Orleans dashboard route.</summary>
    public static WebApplication MapMovaDashboard(this WebApplication app, TenantGateFilter operatorGate)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<OperatorPathGate>(new PathString(OrleansDashboardPath));
        app.MapDashboardPage();
        app.MapGroup("/dashboard/api").AddEndpointFilter(operatorGate).MapDashboardApi();
        return app;
    }
}
