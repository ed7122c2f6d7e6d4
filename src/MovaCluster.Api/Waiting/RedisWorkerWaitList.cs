using System.Globalization;
using System.Text.Json;
using MovaCluster.Api.Json;
using StackExchange.Redis;

namespace MovaCluster.Api.Waiting;

/// <summary>
/// The wait list in Redis, shared by all gateways: <c>mova:gw:worker-wait:due</c> (a sorted set of video ids scored by
/// the Unix ms their wait ends) and <c>mova:gw:worker-wait:entries</c> (a hash of video id to the entry as JSON).
/// Claiming is one Lua script, so two gateways never end the same wait.
/// </summary>
public sealed class RedisWorkerWaitList(IConnectionMultiplexer redis) : IWorkerWaitList
{
    public static readonly RedisKey DueKey = "mova:gw:worker-wait:due";
    public static readonly RedisKey EntriesKey = "mova:gw:worker-wait:entries";

    private const string Claim = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local claimed = {}
        for _, id in ipairs(ids) do
          redis.call('ZREM', KEYS[1], id)
          local entry = redis.call('HGET', KEYS[2], id)
          redis.call('HDEL', KEYS[2], id)
          if entry then table.insert(claimed, entry) end
        end
        return claimed
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task AddAsync(WorkerWait wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wait);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(EntriesKey, wait.VideoId, JsonSerializer.Serialize(wait, GatewayJson.Options));
        _ = transaction.SortedSetAddAsync(DueKey, wait.VideoId, wait.Until.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkerWait>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(Claim, [DueKey, EntriesKey],
            [now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return ((RedisResult[])result!)
            .Select(item => JsonSerializer.Deserialize<WorkerWait>((string)item!, GatewayJson.Options)
                ?? throw new InvalidDataException("An empty entry is in the worker wait list."))
            .ToList();
    }

    public async Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(DueKey, videoId);
        _ = transaction.HashDeleteAsync(EntriesKey, videoId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }
}
