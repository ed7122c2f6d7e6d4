using MovaCluster.Contracts;
using StackExchange.Redis;

namespace MovaCluster.Grains.Hosting;

/// <summary>The storage and stream providers the runtime's grains use, in their two deployments.</summary>
public static class MovaProvidersSiloBuilderExtensions
{
    /// <summary>Embedded: job, queue and stream-subscription state in memory; progress on memory streams.</summary>
    public static ISiloBuilder AddMovaMemoryProviders(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Jobs);
        silo.AddMemoryGrainStorage(StorageNames.Queue);
        silo.AddMemoryGrainStorage(StorageNames.PubSub);
        silo.AddMemoryStreams(StreamNames.Provider);
        return silo;
    }

    /// <summary>
    /// Cluster: job, queue and stream-subscription state in Redis, so jobs and the queue survive the silo that held
    /// them; checkpoints and each job's recent events in Redis as well; progress on memory streams (clients catch up
    /// by sequence number through the job's event log, which outlives the job grain's silo).
    /// </summary>
    public static ISiloBuilder AddMovaRedisProviders(this ISiloBuilder silo, string redisConnectionString)
    {
        var redis = ConfigurationOptions.Parse(redisConnectionString);
        silo.AddRedisGrainStorage(StorageNames.Jobs, storage => storage.ConfigurationOptions = redis);
        silo.AddRedisGrainStorage(StorageNames.Queue, storage => storage.ConfigurationOptions = redis);
        silo.AddRedisGrainStorage(StorageNames.PubSub, storage => storage.ConfigurationOptions = redis);
        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddMovaRedisCheckpoints(redisConnectionString);
        silo.AddMovaRedisJobEventLog();
        return silo;
    }
}
