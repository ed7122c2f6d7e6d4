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

    private IDatabase Db => redis.GetDatabase();

    public async Task<bool> TryReserveAsync(string tenantId, double seconds, double limit, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(ReserveScript, [Key(tenantId)],
            [seconds.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return (int)result == 1;
    }

    public Task ReleaseAsync(string tenantId, double seconds, CancellationToken cancellationToken) =>
        Db.StringIncrementAsync(Key(tenantId), -seconds);

    public async Task<double> GetTodayAsync(string tenantId, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(Key(tenantId)).ConfigureAwait(false);
        return value.IsNullOrEmpty ? 0 : double.Parse(value.ToString(), CultureInfo.InvariantCulture);
    }

    private RedisKey Key(string tenantId) =>
        $"mova:gw:usage:{tenantId}:{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
}
