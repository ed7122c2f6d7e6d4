using System.Text.Json;
using MovaCluster.Api.Json;
using StackExchange.Redis;

namespace MovaCluster.Api.Videos;

/// <summary>
/// The video index in Redis: the record as JSON under <c>mova:gw:video:{tenant}:{id}</c> and the tenant's order in
/// the sorted set <c>mova:gw:videos:{tenant}</c> (score: creation time in ms with a fraction; equal scores order by id, the same
/// order as the in-memory index); a deleted video leaves <c>mova:gw:video-deleted:{tenant}:{id}</c>. Cursors are resolved to ranks, so pages stay right while videos are added.
/// A record and its place in the order are written and removed in one MULTI/EXEC: a gateway that dies or loses Redis
/// between the two writes would otherwise leave a video that answers by id (and to a retried create) but is never listed.
/// </summary>
public sealed class RedisVideoIndex(IConnectionMultiplexer redis) : IVideoIndex
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<bool> AddAsync(VideoRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.Serialize(record, GatewayJson.Options);
        var recordKey = RecordKey(record.TenantId, record.Id);
        var add = Db.CreateTransaction();
        add.AddCondition(Condition.KeyNotExists(recordKey));
        _ = add.StringSetAsync(recordKey, json);
        _ = add.SortedSetAddAsync(OrderKey(record.TenantId), record.Id, Score(record));
        return await add.ExecuteAsync().ConfigureAwait(false);
    }

    public async Task<VideoRecord?> GetAsync(string tenantId, string videoId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(RecordKey(tenantId, videoId)).ConfigureAwait(false);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<VideoRecord>(json.ToString(), GatewayJson.Options);
    }

    public async Task<bool> RemoveAsync(string tenantId, string videoId, bool deleted, CancellationToken cancellationToken)
    {
        var remove = Db.CreateTransaction();
        if (deleted)
        {
            _ = remove.StringSetAsync(TombstoneKey(tenantId, videoId), "1");
        }

        _ = remove.SortedSetRemoveAsync(OrderKey(tenantId), videoId);
        var removed = remove.KeyDeleteAsync(RecordKey(tenantId, videoId));
        await remove.ExecuteAsync().ConfigureAwait(false);
        return await removed.ConfigureAwait(false);
    }

    public Task<bool> WasDeletedAsync(string tenantId, string videoId, CancellationToken cancellationToken) =>
        Db.KeyExistsAsync(TombstoneKey(tenantId, videoId));

    public async Task<VideoPage> ListAsync(string tenantId, VideoRecord? after, int limit, bool ascending, CancellationToken cancellationToken)
    {
        var order = ascending ? Order.Ascending : Order.Descending;
        long start = 0;
        if (after is not null)
        {
            var rank = await Db.SortedSetRankAsync(OrderKey(tenantId), after.Id, order).ConfigureAwait(false);
            if (rank is null)
            {
                return new VideoPage([], false);
            }

            start = rank.Value + 1;
        }

        var ids = await Db.SortedSetRangeByRankAsync(OrderKey(tenantId), start, start + limit, order).ConfigureAwait(false);
        var records = new List<VideoRecord>(ids.Length);
        foreach (var id in ids.Take(limit))
        {
            if (await GetAsync(tenantId, id.ToString(), cancellationToken).ConfigureAwait(false) is { } record)
            {
                records.Add(record);
            }
        }

        return new VideoPage(records, ids.Length > limit);
    }

    /// <summary>Milliseconds since the epoch with a sub-microsecond fraction, so quick successive creates keep their order.</summary>
    private static double Score(VideoRecord record) => (record.CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;

    private static RedisKey RecordKey(string tenantId, string videoId) => $"mova:gw:video:{tenantId}:{videoId}";

    private static RedisKey TombstoneKey(string tenantId, string videoId) => $"mova:gw:video-deleted:{tenantId}:{videoId}";

    private static RedisKey OrderKey(string tenantId) => $"mova:gw:videos:{tenantId}";
}
