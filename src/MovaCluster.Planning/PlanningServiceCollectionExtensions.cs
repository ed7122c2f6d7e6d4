using Microsoft.Extensions.Options;
using MovaCluster.Planning;

namespace Microsoft.Extensions.DependencyInjection;

public static class PlanningServiceCollectionExtensions
{
    /// <summary>Registers <see cref="PlannerOptions"/> (validated at start) and the <see cref="ClusterPlanService"/>.</summary>
    public static IServiceCollection AddMovaPlanner(this IServiceCollection services)
    {
        services.AddOptions<PlannerOptions>().BindConfiguration(PlannerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlannerOptions>, PlannerOptionsValidator>();
        services.AddSingleton<ClusterPlanService>();
        return services;
    }
}
