using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Model.Execution.Simulated;

namespace MovaCluster.Model.Execution;

/// <summary>Registers the device workers and the executor they build.</summary>
public static class ExecutionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the device worker pool, options bound from <see cref="ExecutionOptions.SectionName"/> (validated at
    /// start), an in-memory checkpoint store and a raw clip publisher unless other implementations are registered.
    /// The simulated executor factory is the default; the MOVA pipeline registers its own factory.
    /// </summary>
    public static IServiceCollection AddMovaExecution(this IServiceCollection services)
    {
        services.AddOptions<ExecutionOptions>().BindConfiguration(ExecutionOptions.SectionName).ValidateOnStart();
        services.AddOptions<RawClipPublisherOptions>().BindConfiguration(RawClipPublisherOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsValidator>());
        services.TryAddSingleton<IGenerationExecutorFactory, SimulatedExecutorFactory>();
        services.TryAddSingleton<ICheckpointStore, InMemoryCheckpointStore>();
        services.TryAddSingleton<IClipPublisher, RawClipPublisher>();
        services.TryAddSingleton<DeviceWorkerPool>();
        return services;
    }
}
