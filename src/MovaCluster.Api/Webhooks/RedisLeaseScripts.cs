namespace MovaCluster.Api.Webhooks;

/// <summary>Lua shared by the Redis outbox and watch list: a sorted set of ids scored by due (or leased-until) Unix ms, beside a hash of id to JSON.</summary>
internal static class RedisLeaseScripts
{
    /// <summary>
    /// KEYS: sorted set, hash. ARGV: now, leased-until, max. Leases up to max ids due by now and returns their JSON;
    /// ids whose JSON is gone are dropped.
    /// </summary>
    public const string Claim = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        local claimed = {}
        for _, id in ipairs(ids) do
          local item = redis.call('HGET', KEYS[2], id)
          if item then
            redis.call('ZADD', KEYS[1], ARGV[2], id)
            table.insert(claimed, item)
          else
            redis.call('ZREM', KEYS[1], id)
          end
        end
        return claimed
        """;

    /// <summary>KEYS: sorted set, hash. ARGV: id, JSON, score. Adds the id unless it is already there.</summary>
    public const string AddIfAbsent = """
        if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        end
        return 1
        """;
}
