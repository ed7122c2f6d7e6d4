using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MovaCluster.Execution.Planned;

/// <summary>Opts a host into running MOVA on execution plans (device groups behind each worker device).</summary>
public static class PlannedExecutionServiceCollectionExtensions
{
    /// <summary>
    /// Makes the device workers build <see cref="PlannedMovaExecutorFactory"/> executors, with options bound from
    /// <see cref="PlannedExecutionOptions.SectionName"/> and validated at start. It replaces the executor factory.
    /// </summary>
    public static IServiceCollection AddMovaPlannedExecution(this IServiceCollection services)
    {
        services.AddMovaExecution();
        services.Replace(ServiceDescriptor.Singleton<IGenerationExecutorFactory, PlannedMovaExecutorFactory>());
        return services;
    }
}
