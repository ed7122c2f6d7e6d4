using MovaCluster.Contracts.Progress;
using Orleans.Serialization;
using StackExchange.Redis;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// One Redis list per job holding its newest events (Orleans-serialized); an append pushes, trims and renews the
/// expiry in one transaction.
/// </summary>
public sealed class RedisJobEventLog(IConnectionMultiplexer redis, Serializer<JobEvent> serializer, RedisJobEventLogOptions options) : IJobEventLog
{
    public async Task AppendAsync(string jobId, IReadOnlyList<JobEvent> events, int capacity)
    {
        if (events.Count == 0)
        {
            return;
        }

        var key = Key(jobId);
        var values = events.Select(item => (RedisValue)serializer.SerializeToArray(item)).ToArray();
        var transaction = redis.GetDatabase().CreateTransaction();
        var push = transaction.ListRightPushAsync(key, values);
        var trim = transaction.ListTrimAsync(key, -capacity, -1);
        var expire = transaction.KeyExpireAsync(key, options.TimeToLive);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Appending {events.Count} events to the log of job {jobId} was not applied.");
        }

        await Task.WhenAll(push, trim, expire).ConfigureAwait(false);
    }

    public async Task<long> LastSequenceAsync(string jobId)
    {
        var newest = await redis.GetDatabase().ListGetByIndexAsync(Key(jobId), -1).ConfigureAwait(false);
        return newest.IsNull ? 0 : serializer.Deserialize((byte[])newest!)?.Sequence ?? 0;
    }

    public async Task<IReadOnlyList<JobEvent>> ReadAfterAsync(string jobId, long afterSequence)
    {
        var values = await redis.GetDatabase().ListRangeAsync(Key(jobId)).ConfigureAwait(false);
        return values
            .Select(value => serializer.Deserialize((byte[])value!))
            .OfType<JobEvent>()
            .Where(item => item.Sequence > afterSequence)
            .ToList();
    }

    private RedisKey Key(string jobId) => options.KeyPrefix + jobId;
}
