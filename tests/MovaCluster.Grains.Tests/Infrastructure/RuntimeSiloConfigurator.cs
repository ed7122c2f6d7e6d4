using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MovaCluster.Contracts;
using MovaCluster.Execution;
using MovaCluster.Execution.Planned;
using MovaCluster.Grains.Hosting;
using MovaCluster.Grains.Queue;
using MovaCluster.Grains.Workers;
using MovaCluster.Media;
using MovaCluster.Storage;
using Orleans.Configuration;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Test silos with the real runtime: memory providers, or Redis membership, storage and checkpoints when a Redis
/// connection string is set. Workers run the simulated executor (most tests are about orchestration) or the tiny
/// random-weights MOVA when a test asks for it; clips are
/// muxed to MP4 with the real ffmpeg and stored in a local-disk clip store.
/// </summary>
public sealed class RuntimeSiloConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    public const string RedisKey = "Test:Redis";
    public const string StepDelayKey = "Test:StepDelayMs";
    public const string DevicesKey = "Test:Devices";
    public const string ExecutorKey = "Test:Executor";
    public const string PlanKey = "Test:Plan";
    public const string DeviceGroupKey = "Test:DeviceGroup";
    public const string ClipDirectoryKey = "Mova:Storage:LocalDisk:RootPath";
    public const string LeaseTimeoutMsKey = "Test:LeaseTimeoutMs";
    public const string StallTimeoutMsKey = "Test:StallTimeoutMs";
    public const string HangingExecutorKey = "Test:HangingExecutor";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        var redis = configuration[RedisKey];
        if (string.IsNullOrEmpty(redis))
        {
            siloBuilder.AddMovaMemoryProviders();
        }
        else
        {
            siloBuilder.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            siloBuilder.AddMovaRedisProviders(redis);
            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }

        siloBuilder.AddMovaRuntime();
        siloBuilder.Services.AddMovaMedia(configuration);
        siloBuilder.Services.AddMovaStorage(configuration);
        siloBuilder.AddMovaMp4Publishing();
        if (configuration[HangingExecutorKey] == "true")
        {
            siloBuilder.Services.Replace(ServiceDescriptor.Singleton<IGenerationExecutorFactory, HangingExecutorFactory>());
        }

        siloBuilder.Services.Configure<ExecutionOptions>(options =>
        {
            options.Devices = (configuration[DevicesKey] ?? "cpu").Split(',').ToList();
            options.Executor = Enum.Parse<ExecutorKind>(configuration[ExecutorKey] ?? nameof(ExecutorKind.Synthetic));
            options.Mova.MaxPromptTokens = 32;
            options.Synthetic.StepDelay = TimeSpan.FromMilliseconds(double.Parse(configuration[StepDelayKey] ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            options.Synthetic.MaxVolume = 64 * 64 * 16;
        });
        if (configuration[PlanKey] is { } plan && configuration[DeviceGroupKey] is { } group)
        {
            siloBuilder.Services.Configure<PlannedExecutionOptions>(options =>
            {
                options.Plan = plan;
                options.DeviceGroups = [group];
            });
        }

        siloBuilder.Services.Configure<WorkerOptions>(options =>
        {
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
            options.CheckpointEverySteps = 4;
            if (configuration[StallTimeoutMsKey] is { } stall)
            {
                options.StallTimeout = TimeSpan.FromMilliseconds(double.Parse(stall, System.Globalization.CultureInfo.InvariantCulture));
            }
        });
        siloBuilder.Services.Configure<QueueOptions>(options =>
        {
            options.MaxQueuedPerTenant = 3;
            options.MaxRunningPerTenant = 2;
            options.LeaseTimeout = TimeSpan.FromMilliseconds(double.Parse(configuration[LeaseTimeoutMsKey] ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
            options.LeaseCheckInterval = TimeSpan.FromMilliseconds(Math.Min(1000, options.LeaseTimeout.TotalMilliseconds / 4));
        });
    }

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var redis = configuration[RedisKey];
        if (!string.IsNullOrEmpty(redis))
        {
            clientBuilder.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        }

        clientBuilder.AddMemoryStreams(StreamNames.Provider);
    }
}
