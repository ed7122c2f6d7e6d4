using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Progress;
using MovaCluster.Execution;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.Publishing;
using MovaCluster.Grains.Adapters;
using MovaCluster.Grains.Checkpoints;
using MovaCluster.Grains.Faults;
using MovaCluster.Grains.Jobs;
using MovaCluster.Grains.Placement;
using MovaCluster.Grains.Publishing;
using MovaCluster.Grains.Queue;
using MovaCluster.Grains.Telemetry;
using MovaCluster.Grains.Workers;
using MovaCluster.Media;
using MovaCluster.Media.Previews;
using MovaCluster.ServiceDefaults.Resilience;
using Orleans.Serialization;
using StackExchange.Redis;

namespace MovaCluster.Grains.Hosting;

/// <summary>Adds the MOVA cluster runtime (jobs, queue, device workers and their placement) to a silo.</summary>
public static class MovaRuntimeSiloBuilderExtensions
{
    /// <summary>
    /// Registers the runtime's options (validated at start), the device worker pool, the device placement
    /// director, the silo-loss watcher, the worker starter and the LoRA registration and file-cache services (which
    /// need <c>AddMovaStorage</c>). Storage providers and streams are the host's choice.
    /// </summary>
    public static ISiloBuilder AddMovaRuntime(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddMovaExecution();
        services.AddMovaResilience();
        services.AddMovaRuntimeTelemetry();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName);
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateOnStart();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.TryAddSingleton<IJobEventLog, GrainOnlyJobEventLog>();
        services.TryAddSingleton<DeviceRuns>();
        services.AddOptions<LoraRegistryOptions>().BindConfiguration(LoraRegistryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoraRegistryOptions>, LoraRegistryOptionsValidator>());
        services.TryAddSingleton<ServedLoraCatalog>();
        services.TryAddSingleton<LoraInspector>();
        services.TryAddSingleton<LoraFileCache>();
        services.AddOptions<MediaOptions>();
        services.TryAddSingleton<LatentPreviewRenderer>();
        services.TryAddSingleton<StepPreviewRenderer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloLossWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeviceWorkerStarter>();
        silo.AddPlacementDirector<DeviceWorkerPlacement, DeviceWorkerPlacementDirector>();
        silo.AddIncomingGrainCallFilter<StoreOutageCallFilter>();
        return silo;
    }

    /// <summary>
    /// Checks at start that this machine can host device workers (<see cref="WorkerHostPreflight"/>) and stops the host
    /// with what is missing otherwise. Hosted services start in registration order: call this before <c>UseOrleans</c>,
    /// so the check runs before the silo joins the cluster or takes a job.
    /// </summary>
    public static IServiceCollection AddMovaWorkerHostPreflight(this IServiceCollection services)
    {
        services.AddHostedService<WorkerHostPreflight>();
        return services;
    }

    /// <summary>
    /// Publishes finished clips as MP4s in the clip store (instead of raw output files). Needs the media and storage
    /// services (<c>AddMovaMedia</c>, <c>AddMovaStorage</c>).
    /// </summary>
    public static ISiloBuilder AddMovaMp4Publishing(this ISiloBuilder silo)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton<IClipPublisher, Mp4ClipPublisher>());
        return silo;
    }

    /// <summary>
    /// Keeps each job's recent events in Redis (needs the <see cref="IConnectionMultiplexer"/> that
    /// <see cref="AddMovaRedisCheckpoints"/> registers), so clients catch up after the job grain moves to another silo.
    /// </summary>
    public static ISiloBuilder AddMovaRedisJobEventLog(this ISiloBuilder silo, Action<RedisJobEventLogOptions>? configure = null)
    {
        var options = new RedisJobEventLogOptions();
        configure?.Invoke(options);
        silo.Services.Replace(ServiceDescriptor.Singleton<IJobEventLog>(provider => new RedisJobEventLog(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<Serializer<JobEvent>>(), options)));
        return silo;
    }

    /// <summary>Keeps denoising checkpoints in Redis so a job can resume on any silo.</summary>
    public static ISiloBuilder AddMovaRedisCheckpoints(this ISiloBuilder silo, string connectionString, Action<RedisCheckpointOptions>? configure = null)
    {
        var options = new RedisCheckpointOptions();
        configure?.Invoke(options);
        var connection = ConfigurationOptions.Parse(connectionString);
        // A silo whose Redis is restarting still comes up; the connection comes (back) up by itself.
        connection.AbortOnConnectFail = false;
        silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connection));
        silo.Services.AddSingleton<ICheckpointStore>(provider => new RedisCheckpointStore(provider.GetRequiredService<IConnectionMultiplexer>(), options));
        return silo;
    }
}
