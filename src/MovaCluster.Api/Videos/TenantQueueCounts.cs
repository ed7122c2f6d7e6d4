using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Queue;
using MovaCluster.Api.Configuration;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Per-tenant queued and running counts for the create-time quota check. The queue's statistics walk every queued
/// job, so they are fetched at most every <see cref="GatewayOptions.StatusCacheMilliseconds"/>, and in the
/// background: once the first statistics are in, no create waits for a refresh (a create that finds them expired
/// starts one and uses the previous ones). Creates accepted by this gateway since the statistics in use were asked
/// for are added on top. The queue's own per-tenant cap stays the hard limit.
/// </summary>
public sealed partial class TenantQueueCounts(IClusterClient cluster, IOptions<GatewayOptions> options, TimeProvider time, ILogger<TenantQueueCounts> logger)
{
    private readonly SemaphoreSlim _first = new(1, 1);
    private readonly Lock _gate = new();
    private ConcurrentDictionary<string, int> _acceptedSince = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, int>? _acceptedDuringRefresh;
    private QueueStatistics? _statistics;
    private DateTimeOffset _expires;
    private bool _refreshing;

    public async Task<(int Queued, int Running, double? MillisecondsPerStep)> GetAsync(string tenantId)
    {
        if (options.Value.StatusCacheMilliseconds <= 0)
        {
            var fresh = await FetchAsync().ConfigureAwait(false);
            var entry = fresh.Tenants.FirstOrDefault(candidate => candidate.TenantId == tenantId);
            return (entry?.Queued ?? 0, entry?.Running ?? 0, fresh.MillisecondsPerStep);
        }

        var statistics = _statistics ?? await FirstAsync().ConfigureAwait(false);
        if (_expires <= time.GetUtcNow())
        {
            StartRefresh();
        }

        var mine = statistics.Tenants.FirstOrDefault(entry => entry.TenantId == tenantId);
        var accepted = _acceptedSince.GetValueOrDefault(tenantId) + (_acceptedDuringRefresh?.GetValueOrDefault(tenantId) ?? 0);
        return ((mine?.Queued ?? 0) + accepted, mine?.Running ?? 0, statistics.MillisecondsPerStep);
    }

    public void Accepted(string tenantId)
    {
        if (options.Value.StatusCacheMilliseconds > 0)
        {
            _acceptedSince.AddOrUpdate(tenantId, 1, static (_, count) => count + 1);
        }
    }

    private async Task<QueueStatistics> FirstAsync()
    {
        await _first.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_statistics is { } fetched)
            {
                return fetched;
            }

            var statistics = await FetchAsync().ConfigureAwait(false);
            Publish(statistics);
            return statistics;
        }
        finally
        {
            _first.Release();
        }
    }

    private void StartRefresh()
    {
        lock (_gate)
        {
            if (_refreshing)
            {
                return;
            }

            _refreshing = true;
            // Creates accepted from here on may or may not be in the new statistics; they are counted until the
            // refresh after this one, so the check errs on the strict side for one refresh interval at most.
            _acceptedDuringRefresh = _acceptedSince;
            _acceptedSince = new(StringComparer.Ordinal);
        }

        _ = Task.Run(RefreshAsync);
    }

    private async Task RefreshAsync()
    {
        try
        {
            Publish(await FetchAsync().ConfigureAwait(false));
        }
        catch (Exception failure)
        {
            LogRefreshFailed(failure);
            lock (_gate)
            {
                // Keep counting what was accepted; the next create retries the refresh.
                foreach (var (tenant, count) in _acceptedDuringRefresh ?? [])
                {
                    _acceptedSince.AddOrUpdate(tenant, count, (_, current) => current + count);
                }

                _acceptedDuringRefresh = null;
                _refreshing = false;
            }
        }
    }

    private Task<QueueStatistics> FetchAsync() => cluster.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();

    private void Publish(QueueStatistics statistics)
    {
        lock (_gate)
        {
            _statistics = statistics;
            _acceptedDuringRefresh = null;
            _expires = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.Value.StatusCacheMilliseconds);
            _refreshing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the queue's per-tenant counts; the previous ones stay in use")]
    private partial void LogRefreshFailed(Exception failure);
}
