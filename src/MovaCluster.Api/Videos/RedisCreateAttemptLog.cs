using StackExchange.Redis;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The attempt log in Redis, shared by every gateway: one hash per tenant and fingerprint
/// (<c>mova:gw:create-attempts:{tenant}:{fingerprint}</c>), field = implicit key, value <c>p:GATEWAY</c> (in flight on
/// that gateway) or <c>d</c> (in doubt), expiring a window after its last change. Each gateway keeps a presence key
/// (<c>mova:gw:presence:GATEWAY</c>, refreshed by <see cref="CreateAttemptLogPresence"/>, expiring after
/// <see cref="PresenceTtl"/>): an attempt in flight on a gateway whose presence is gone died with it and may be taken
/// over by a retry after the wait <see cref="TakeOrphanAsync"/> asks for; one on a live gateway still has its client
/// waiting (a client that gives up is marked in doubt).
/// </summary>
public sealed class RedisCreateAttemptLog(IConnectionMultiplexer redis, string gatewayId) : ICreateAttemptLog
{
    /// <summary>How often a gateway refreshes its presence.</summary>
    public static readonly TimeSpan PresenceInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A gateway that has not refreshed its presence for this long is gone. Short, because a retry arriving sooner
    /// creates a second video; a restarted gateway takes longer than this to serve again.
    /// </summary>
    public static readonly TimeSpan PresenceTtl = TimeSpan.FromSeconds(3);

    private const string InDoubt = "d";
    private const string PresencePrefix = "mova:gw:presence:";

    // In doubt (for a retry or a client that does not say); never an attempt in flight: whether its gateway died is
    // only told after a wait (TakeOrphanAsync), since a Redis outage stops every gateway's presence refresh.
    private static readonly LuaScript Begin = LuaScript.Prepare("""
        local entries = redis.call('HGETALL', @key)
        local pick = nil
        if @retry ~= '0' then
          for i = 1, #entries, 2 do
            if entries[i + 1] == 'd' then pick = entries[i] break end
          end
        end
        if pick == nil then pick = @fresh end
        redis.call('HSET', @key, pick, @inflight)
        redis.call('PEXPIRE', @key, @window)
        return pick
        """);

    // An attempt in flight on another gateway whose presence is gone ('p' alone: written before gateways were named);
    // taken, it is in flight on this gateway. The presence keys are read by name inside the script, which a standalone
    // Redis (what the cluster uses) allows.
    private static readonly LuaScript TakeOrphan = LuaScript.Prepare("""
        local entries = redis.call('HGETALL', @key)
        for i = 1, #entries, 2 do
          local value = entries[i + 1]
          if entries[i] ~= @own and string.sub(value, 1, 1) == 'p' and value ~= @inflight then
            local owner = string.sub(value, 3)
            if owner == '' or redis.call('EXISTS', @presence .. owner) == 0 then
              redis.call('HSET', @key, entries[i], @inflight)
              redis.call('PEXPIRE', @key, @window)
              return entries[i]
            end
          end
        end
        return false
        """);

    private IDatabase Db => redis.GetDatabase();

    private string InFlight => "p:" + gatewayId;

    public async Task<string> BeginAsync(string tenantId, string fingerprint, string freshKey, bool? retry, TimeSpan window, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(Begin, new
        {
            key = Key(tenantId, fingerprint),
            fresh = freshKey,
            retry = retry switch { true => "1", false => "0", null => "?" },
            window = (long)window.TotalMilliseconds,
            inflight = InFlight,
        }).ConfigureAwait(false);
        return result.ToString();
    }

    public async Task<string?> TakeOrphanAsync(string tenantId, string fingerprint, string ownKey, TimeSpan window, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(TakeOrphan, new
        {
            key = Key(tenantId, fingerprint),
            own = ownKey,
            window = (long)window.TotalMilliseconds,
            presence = PresencePrefix,
            inflight = InFlight,
        }).ConfigureAwait(false);
        return result.IsNull ? null : result.ToString();
    }

    public TimeSpan GatewayLapse => PresenceTtl;

    public async Task<bool> InFlightElsewhereAsync(string tenantId, string fingerprint, string ownKey, CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(Key(tenantId, fingerprint)).ConfigureAwait(false);
        return entries.Any(entry => entry.Name != ownKey && entry.Value.StartsWith("p") && entry.Value != InFlight);
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

    /// <summary>Says this gateway is alive for another <see cref="PresenceTtl"/>.</summary>
    public Task RefreshPresenceAsync() => Db.StringSetAsync(PresencePrefix + gatewayId, "1", PresenceTtl);

    private static RedisKey Key(string tenantId, string fingerprint) => $"mova:gw:create-attempts:{tenantId}:{fingerprint}";
}
