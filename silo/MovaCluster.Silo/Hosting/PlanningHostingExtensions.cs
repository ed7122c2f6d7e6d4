using Microsoft.Extensions.DependencyInjection.Extensions;
using MovaCluster.Execution.Sizing;
using MovaCluster.Grains.Planning;

namespace Microsoft.Extensions.Hosting;

public static class PlanningHostingExtensions
{
    /// <summary>
    /// Plans the fleet described by <c>Mova:Planner</c> when the silo has started (after <c>AddMovaSilo</c>), logs the
    /// chosen plan with its prediction and publishes it for the API and dashboard. When the workers serve a checkpoint
    /// folder (<c>Mova:Execution:Mova:CheckpointPath</c>), the plans are sized from that checkpoint's configs.
    /// </summary>
    public static IHostApplicationBuilder AddMovaPlanning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMovaPlanner();
        if (builder.Configuration["Mova:Execution:Mova:CheckpointPath"] is { Length: > 0 } checkpoint && Directory.Exists(checkpoint))
        {
            builder.Services.AddMovaCheckpointArchitecture(checkpoint);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ClusterPlanPublisher>();
        return builder;
    }
}
