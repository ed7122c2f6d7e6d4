using MovaCluster.Execution.Checkpoints;
using StackExchange.Redis;

namespace MovaCluster.Grains.Checkpoints;

/// <summary>Checkpoints in Redis, one binary value per job, expiring after <see cref="RedisCheckpointOptions.TimeToLive"/>.</summary>
public sealed class RedisCheckpointStore(IConnectionMultiplexer redis, RedisCheckpointOptions options) : ICheckpointStore
{
    private IDatabase Database => redis.GetDatabase();

    public Task SaveAsync(string jobId, DenoiseCheckpoint checkpoint, CancellationToken cancellationToken) =>
        Database.StringSetAsync(Key(jobId), DenoiseCheckpointCodec.Encode(checkpoint), options.TimeToLive);

    public async Task<DenoiseCheckpoint?> LoadAsync(string jobId, CancellationToken cancellationToken)
    {
        var value = await Database.StringGetAsync(Key(jobId)).ConfigureAwait(false);
        return value.IsNull ? null : DenoiseCheckpointCodec.Decode((byte[])value!);
    }

    public Task DeleteAsync(string jobId, CancellationToken cancellationToken) => Database.KeyDeleteAsync(Key(jobId));

    private RedisKey Key(string jobId) => options.KeyPrefix + jobId;
}
