using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>Opts a host into the cost-model device (capacity benchmarks only; never the default).</summary>
public static class CostModelServiceCollectionExtensions
{
    /// <summary>
    /// Makes the device workers build <see cref="CostModelGenerationExecutor"/>s, with options bound from
    /// <see cref="CostModelExecutorOptions.SectionName"/> and validated at start. Call it before or after
    /// <c>AddMovaExecution</c>: it replaces the executor factory.
    /// </summary>
    public static IServiceCollection AddMovaCostModelExecution(this IServiceCollection services)
    {
        services.AddMovaExecution();
        services.Replace(ServiceDescriptor.Singleton<IGenerationExecutorFactory, CostModelExecutorFactory>());
        return services;
    }
}
