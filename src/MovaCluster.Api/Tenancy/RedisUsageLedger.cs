using System.Globalization;
using StackExchange.Redis;

namespace MovaCluster.Api.Tenancy;

/// <summary>Daily usage in Redis (<c>mova:gw:usage:{tenant}:{yyyyMMdd}</c>), checked and added in one script so gateways never race past a limit.</summary>
public sealed class RedisUsageLedger(IConnectionMultiplexer redis, TimeProvider time) : IUsageLedger
{
    private const string ReserveScript = """
        local used = tonumber(redis.call('GET', KEYS[1]) or '0')
        if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
        redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
        redis.call('EXPIRE', KEYS[1], 172800)
        return 1
        """;

    /// <summary>KEYS: the day's usage, the video's refund marker. Once per video, and only while the day's usage exists.</summary>
    private const string RefundScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', 259200) then return 0 end
        local left = redis.call('INCRBYFLOAT', KEYS[1], -tonumber(ARGV[1]))
        if tonumber(left) < 0 then redis.call('SET', KEYS[1], '0', 'KEEPTTL') end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<bool> TryReserveAsync(string tenantId, double seconds, double limit, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(ReserveScript, [Key(tenantId)],
            [seconds.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return (int)result == 1;
    }

    public Task ReleaseAsync(string tenantId, double seconds, CancellationToken cancellationToken) =>
        Db.StringIncrementAsync(Key(tenantId), -seconds);

    public Task RefundAsync(string tenantId, string videoId, double seconds, DateOnly day, CancellationToken cancellationToken) =>
        Db.ScriptEvaluateAsync(RefundScript, [Key(tenantId, day), $"mova:gw:refunded:{videoId}"], [seconds.ToString(CultureInfo.InvariantCulture)]);

    public async Task<double> GetTodayAsync(string tenantId, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(Key(tenantId)).ConfigureAwait(false);
        return value.IsNullOrEmpty ? 0 : double.Parse(value.ToString(), CultureInfo.InvariantCulture);
    }

    private RedisKey Key(string tenantId) => Key(tenantId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

    private static RedisKey Key(string tenantId, DateOnly day) =>
        $"mova:gw:usage:{tenantId}:{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
}
