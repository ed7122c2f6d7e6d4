using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.Planned;
using MovaCluster.Execution.Publishing;
using MovaCluster.Execution.TestDevices.CostModel;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Text;

namespace MovaCluster.Execution;

/// <summary>Registers the device workers and the executor they build.</summary>
public static class ExecutionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the device worker pool, options bound from <see cref="ExecutionOptions.SectionName"/> (validated at
    /// start; calling it again changes nothing), an in-memory checkpoint store and a raw clip publisher unless other implementations are registered.
    /// The executor kind comes from <see cref="ExecutionOptions.Executor"/> (see <see cref="ConfiguredExecutorFactory"/>).
    /// </summary>
    public static IServiceCollection AddMovaExecution(this IServiceCollection services)
    {
        // Binding twice would append every configured list (devices, device groups) twice.
        if (services.Any(descriptor => descriptor.ServiceType == typeof(DeviceWorkerPool)))
        {
            return services;
        }

        services.AddOptions<ExecutionOptions>().BindConfiguration(ExecutionOptions.SectionName).ValidateOnStart();
        services.AddOptions<RawClipPublisherOptions>().BindConfiguration(RawClipPublisherOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, LoraExecutionOptionsValidator>());
        services.TryAddSingleton<LoraResidency>();
        services.AddOptions<TextEmbeddingCacheOptions>().BindConfiguration(TextEmbeddingCacheOptions.SectionName).ValidateOnStart();
        services.AddOptions<ReferenceImageOptions>().BindConfiguration(ReferenceImageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TextEmbeddingCacheOptions>, TextEmbeddingCacheOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReferenceImageOptions>, ReferenceImageOptionsValidator>());
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CachingOptions>, CachingOptionsValidator>());
        services.AddOptions<PlannedExecutionOptions>().BindConfiguration(PlannedExecutionOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlannedExecutionOptions>, PlannedExecutionOptionsValidator>());
        services.AddOptions<CostModelExecutorOptions>().BindConfiguration(CostModelExecutorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CostModelExecutorOptions>, CostModelExecutorOptionsValidator>());
        services.TryAddSingleton<SyntheticExecutorFactory>();
        services.TryAddSingleton<MovaExecutorFactory>();
        services.TryAddSingleton<PlannedMovaExecutorFactory>();
        services.TryAddSingleton<CostModelExecutorFactory>();
        services.TryAddSingleton<IGenerationExecutorFactory, ConfiguredExecutorFactory>();
        services.TryAddSingleton<ICheckpointStore, InMemoryCheckpointStore>();
        services.TryAddSingleton<IClipPublisher, RawClipPublisher>();
        services.TryAddSingleton<DeviceWorkerPool>();
        return services;
    }
}
