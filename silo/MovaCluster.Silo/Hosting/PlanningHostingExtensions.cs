using Microsoft.Extensions.DependencyInjection.Extensions;
using MovaCluster.Grains.Planning;

namespace Microsoft.Extensions.Hosting;

public static class PlanningHostingExtensions
{
    /// <summary>
    /// Plans the fleet described by <c>Mova:Planner</c> when the silo has started (after <c>AddMovaSilo</c>), logs the
    /// chosen plan with its prediction and publishes it for the API and dashboard.
    /// </summary>
    public static IHostApplicationBuilder AddMovaPlanning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMovaPlanner();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ClusterPlanPublisher>();
        return builder;
    }
}
