using System.Globalization;
using System.Text.Json;
using MovaCluster.Api.Json;
using StackExchange.Redis;

namespace MovaCluster.Api.Webhooks;

/// <summary>
/// The watch list in Redis, shared by all gateways: <c>mova:gw:webhooks:watch-leases</c> (a sorted set of video ids
/// scored by the Unix ms their lease runs out) and <c>mova:gw:webhooks:watches</c> (a hash of video id to the watch
/// as JSON). Claiming is one Lua script, so two gateways never take over the same video at once.
/// </summary>
public sealed class RedisWebhookWatchList(IConnectionMultiplexer redis) : IWebhookWatchList
{
    public static readonly RedisKey LeasesKey = "mova:gw:webhooks:watch-leases";
    public static readonly RedisKey WatchesKey = "mova:gw:webhooks:watches";

    private IDatabase Db => redis.GetDatabase();

    public Task AddAsync(WebhookWatch watch, DateTimeOffset leasedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return Db.ScriptEvaluateAsync(RedisLeaseScripts.AddIfAbsent, [LeasesKey, WatchesKey],
            [watch.Record.Id, JsonSerializer.Serialize(watch, GatewayJson.Options), Score(leasedUntil)]);
    }

    public async Task<IReadOnlyList<WebhookWatch>> ClaimExpiredAsync(DateTimeOffset now, DateTimeOffset leasedUntil, int max, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(RedisLeaseScripts.Claim, [LeasesKey, WatchesKey],
            [Score(now), Score(leasedUntil), max.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        return ((RedisResult[])result!)
            .Select(item => JsonSerializer.Deserialize<WebhookWatch>((string)item!, GatewayJson.Options)
                ?? throw new InvalidDataException("An empty webhook watch is in the watch list."))
            .ToList();
    }

    public Task LeaseAsync(IReadOnlyCollection<string> videoIds, DateTimeOffset leasedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(videoIds);
        if (videoIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        // XX: only videos still listed (one whose webhook went to the outbox meanwhile stays removed).
        var score = leasedUntil.ToUnixTimeMilliseconds();
        return Db.SortedSetAddAsync(LeasesKey, videoIds.Select(id => new SortedSetEntry(id, score)).ToArray(), SortedSetWhen.Exists);
    }

    public async Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(LeasesKey, videoId);
        _ = transaction.HashDeleteAsync(WatchesKey, videoId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    private static string Score(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
