using System.Globalization;
using StackExchange.Redis;

namespace MovaCluster.Api.Tenancy;

/// <summary>
/// The per-tenant token bucket in Redis (<c>mova:gw:rate:{tenant}</c>, a hash of tokens and the time they were
/// counted), taken in one Lua script, so every gateway draws from the same bucket. The script reads the clock of
/// the Redis server, so gateways whose clocks differ still refill it at the same rate. While Redis cannot be reached
/// each gateway limits with its own bucket (<see cref="InMemoryTenantRateLimiter"/>) rather than refusing or
/// letting everything through; after a failure it tries Redis again only after <see cref="RetryRedisAfter"/>, so
/// requests do not each wait for a Redis timeout.
/// </summary>
public sealed partial class RedisTenantRateLimiter(
    IConnectionMultiplexer redis, InMemoryTenantRateLimiter fallback, ILogger<RedisTenantRateLimiter> logger) : ITenantRateLimiter
{
    // Refills continuously (tokens are fractional), takes one token if there is one, and otherwise says in how many
    // ms the next token arrives. The key expires once the bucket would be full again anyway.
    private const string AcquireScript = """
        local now_parts = redis.call('TIME')
        local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = burst
        elseif now > at then
          tokens = math.min(burst, tokens + (now - at) * rate / 1000)
        end
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
        else
          wait = math.ceil((1 - tokens) * 1000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return wait
        """;

    /// <summary>How long a gateway uses its own buckets after Redis failed, before it tries Redis again. 5 s.</summary>
    public static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);

    private int _redisFailing;
    private long _fallbackUntil;

    public async ValueTask<TimeSpan?> TryAcquireAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Environment.TickCount64 < Interlocked.Read(ref _fallbackUntil))
        {
            return fallback.TryAcquire(tenant);
        }

        var rate = Math.Max(1, tenant.Quotas.RequestsPerSecond);
        var burst = Math.Max(1, tenant.Quotas.RequestBurst);
        long waitMilliseconds;
        try
        {
            var result = await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, [Key(tenant.Id)],
                [rate.ToString(CultureInfo.InvariantCulture), burst.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            waitMilliseconds = (long)result;
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _fallbackUntil, Environment.TickCount64 + (long)RetryRedisAfter.TotalMilliseconds);
            if (Interlocked.Exchange(ref _redisFailing, 1) == 0)
            {
                LogFallingBack(failure);
            }

            return fallback.TryAcquire(tenant);
        }

        if (Interlocked.Exchange(ref _redisFailing, 0) == 1)
        {
            LogRecovered();
        }

        return waitMilliseconds <= 0 ? null : TimeSpan.FromMilliseconds(waitMilliseconds);
    }

    public static RedisKey Key(string tenantId) => $"mova:gw:rate:{tenantId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: rate limits are per gateway until it is back")]
    private partial void LogFallingBack(Exception failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is reachable again: rate limits are shared by all gateways")]
    private partial void LogRecovered();
}
