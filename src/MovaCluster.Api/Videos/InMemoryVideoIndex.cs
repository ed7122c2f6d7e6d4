using System.Collections.Concurrent;

namespace MovaCluster.Api.Videos;

/// <summary>The video index in this process (the embedded deployment).</summary>
public sealed class InMemoryVideoIndex : IVideoIndex
{
    private readonly ConcurrentDictionary<string, TenantVideos> _tenants = new(StringComparer.Ordinal);

    public Task<bool> AddAsync(VideoRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var videos = _tenants.GetOrAdd(record.TenantId, _ => new TenantVideos());
        lock (videos)
        {
            if (!videos.ById.TryAdd(record.Id, record))
            {
                return Task.FromResult(false);
            }

            videos.Order.Add(SortKey(record));
        }

        return Task.FromResult(true);
    }

    public Task<VideoRecord?> GetAsync(string tenantId, string videoId, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenantId, out var videos))
        {
            return Task.FromResult<VideoRecord?>(null);
        }

        lock (videos)
        {
            return Task.FromResult(videos.ById.GetValueOrDefault(videoId));
        }
    }

    public Task<bool> RemoveAsync(string tenantId, string videoId, bool deleted, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenantId, out var videos))
        {
            return Task.FromResult(false);
        }

        lock (videos)
        {
            if (deleted)
            {
                videos.Deleted.Add(videoId);
            }

            if (!videos.ById.Remove(videoId, out var record))
            {
                return Task.FromResult(false);
            }

            videos.Order.Remove(SortKey(record));
            return Task.FromResult(true);
        }
    }

    public Task<bool> WasDeletedAsync(string tenantId, string videoId, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenantId, out var videos))
        {
            return Task.FromResult(false);
        }

        lock (videos)
        {
            return Task.FromResult(videos.Deleted.Contains(videoId));
        }
    }

    public Task<VideoPage> ListAsync(string tenantId, VideoRecord? after, int limit, bool ascending, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenantId, out var videos))
        {
            return Task.FromResult(new VideoPage([], false));
        }

        lock (videos)
        {
            IEnumerable<(long, string)> keys = (after, ascending) switch
            {
                (null, true) => videos.Order,
                (null, false) => videos.Order.Reverse(),
                (_, true) => videos.Order.GetViewBetween(SortKey(after), videos.Order.Max).Where(key => key != SortKey(after)),
                (_, false) => videos.Order.GetViewBetween(videos.Order.Min, SortKey(after)).Reverse().Where(key => key != SortKey(after)),
            };
            var page = keys.Take(limit + 1).Select(key => videos.ById[key.Item2]).ToList();
            var hasMore = page.Count > limit;
            return Task.FromResult(new VideoPage(hasMore ? page[..limit] : page, hasMore));
        }
    }

    private static (long, string) SortKey(VideoRecord record) => (record.CreatedAt.UtcTicks, record.Id);

    private sealed class TenantVideos
    {
        public Dictionary<string, VideoRecord> ById { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Deleted { get; } = new(StringComparer.Ordinal);

        public SortedSet<(long, string)> Order { get; } = new(Comparer<(long, string)>.Create(static (a, b) =>
        {
            var byTime = a.Item1.CompareTo(b.Item1);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Item2, b.Item2);
        }));
    }
}
