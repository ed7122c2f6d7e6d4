using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Storage;
using StackExchange.Redis;

namespace MovaCluster.Grains.Hosting;

/// <summary>The storage and stream providers the runtime's grains use, in their two deployments.</summary>
public static class MovaProvidersSiloBuilderExtensions
{
    /// <summary>Embedded: job, queue, LoRA registry and stream-subscription state in memory; progress on memory streams.</summary>
    public static ISiloBuilder AddMovaMemoryProviders(this ISiloBuilder silo)
    {
        foreach (var name in new[] { StorageNames.Jobs, StorageNames.Queue, StorageNames.Loras, StorageNames.PubSub })
        {
            silo.AddMemoryGrainStorage(name);
            silo.Services.AddOptions<MemoryGrainStorageOptions>(name).Configure<IServiceProvider>(UseOrleansSerializer);
        }

        silo.AddMemoryStreams(StreamNames.Provider);
        return silo;
    }

    /// <summary>
    /// Grain state is written with the Orleans binary serializer (every state type is [GenerateSerializer]) rather than
    /// the providers' default JSON: a job submit writes the job's state, and JSON plus its deep copy were the largest
    /// share of a create's CPU.
    /// </summary>
    private static void UseOrleansSerializer(IStorageProviderSerializerOptions options, IServiceProvider services) =>
        options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services);

    /// <summary>
    /// Cluster: job, queue, LoRA registry and stream-subscription state in Redis, so jobs and the queue survive the silo that held
    /// them; checkpoints and each job's recent events in Redis as well; progress on memory streams (clients catch up
    /// by sequence number through the job's event log, which outlives the job grain's silo).
    /// </summary>
    public static ISiloBuilder AddMovaRedisProviders(this ISiloBuilder silo, string redisConnectionString)
    {
        var redis = ConfigurationOptions.Parse(redisConnectionString);
        foreach (var name in new[] { StorageNames.Jobs, StorageNames.Queue, StorageNames.Loras, StorageNames.PubSub })
        {
            silo.AddRedisGrainStorage(name, storage => storage.ConfigurationOptions = redis);
            silo.Services.AddOptions<RedisStorageOptions>(name).Configure<IServiceProvider>(UseOrleansSerializer);
        }

        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddMovaRedisCheckpoints(redisConnectionString);
        silo.AddMovaRedisJobEventLog();
        return silo;
    }
}
