using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Queue;
using MovaCluster.Gateway.Configuration;

namespace MovaCluster.Gateway.Videos;

/// <summary>
/// Per-tenant queued and running counts for the create-time quota check. The queue's statistics walk every queued
/// job, so they are fetched at most every <see cref="GatewayOptions.StatusCacheMilliseconds"/>; creates accepted by
/// this gateway since then are added on top. The queue's own per-tenant cap stays the hard limit.
/// </summary>
public sealed class TenantQueueCounts(IClusterClient cluster, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly ConcurrentDictionary<string, int> _acceptedSince = new(StringComparer.Ordinal);
    private QueueStatistics? _statistics;
    private DateTimeOffset _expires;

    public async Task<(int Queued, int Running, double? MillisecondsPerStep)> GetAsync(string tenantId)
    {
        var statistics = await CurrentAsync().ConfigureAwait(false);
        var mine = statistics.Tenants.FirstOrDefault(entry => entry.TenantId == tenantId);
        return ((mine?.Queued ?? 0) + _acceptedSince.GetValueOrDefault(tenantId), mine?.Running ?? 0, statistics.MillisecondsPerStep);
    }

    public void Accepted(string tenantId) => _acceptedSince.AddOrUpdate(tenantId, 1, static (_, count) => count + 1);

    private async Task<QueueStatistics> CurrentAsync()
    {
        if (_statistics is { } current && _expires > time.GetUtcNow())
        {
            return current;
        }

        await _refreshing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_statistics is { } refreshed && _expires > time.GetUtcNow())
            {
                return refreshed;
            }

            var statistics = await cluster.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync().ConfigureAwait(false);
            _acceptedSince.Clear();
            _statistics = statistics;
            _expires = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.Value.StatusCacheMilliseconds);
            return statistics;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
