using StackExchange.Redis;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The attempt log in Redis, shared by every gateway: one hash per tenant and fingerprint
/// (<c>mova:gw:create-attempts:{tenant}:{fingerprint}</c>), field = implicit key, value <c>p</c> (in flight) or
/// <c>d</c> (in doubt), expiring a window after its last change.
/// </summary>
public sealed class RedisCreateAttemptLog(IConnectionMultiplexer redis) : ICreateAttemptLog
{
    private const string InDoubt = "d";

    // In doubt first, then (for a signalled retry) in flight; the taken attempt is in flight again.
    private static readonly LuaScript Begin = LuaScript.Prepare("""
        local entries = redis.call('HGETALL', @key)
        local pick = nil
        if @retry ~= '0' then
          for i = 1, #entries, 2 do
            if entries[i + 1] == 'd' then pick = entries[i] break end
          end
        end
        if pick == nil and @retry == '1' then
          for i = 1, #entries, 2 do
            if entries[i + 1] == 'p' then pick = entries[i] break end
          end
        end
        if pick == nil then pick = @fresh end
        redis.call('HSET', @key, pick, 'p')
        redis.call('PEXPIRE', @key, @window)
        return pick
        """);

    private IDatabase Db => redis.GetDatabase();

    public async Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool? retry, TimeSpan window, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(Begin, new
        {
            key = Key(tenantId, fingerprint),
            fresh = freshKey,
            retry = retry switch { true => "1", false => "0", null => "?" },
            window = (long)window.TotalMilliseconds,
        }).ConfigureAwait(false);
        return result.ToString();
    }

    public Task ForgetAsync(string tenantId, string fingerprint, string key, CancellationToken cancellationToken) =>
        Db.HashDeleteAsync(Key(tenantId, fingerprint), key);

    public async Task MarkInDoubtAsync(string tenantId, string fingerprint, string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var hash = Key(tenantId, fingerprint);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(hash, key, InDoubt);
        _ = transaction.KeyExpireAsync(hash, window);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    private static RedisKey Key(string tenantId, string fingerprint) => $"mova:gw:create-attempts:{tenantId}:{fingerprint}";
}
