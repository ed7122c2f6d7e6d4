using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Configuration;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Keeps each job's latest snapshot for <see cref="GatewayOptions.StatusCacheMilliseconds"/> (finished jobs: a
/// minute), so clients polling a video's status cost the job grain, and for queued jobs the single queue grain, at
/// most a few calls per second per video. Actions (create, cancel, delete) bypass and refresh it.
/// </summary>
public sealed class JobSnapshotCache(IClusterClient cluster, IOptions<GatewayOptions> options, TimeProvider time)
{
    public static readonly TimeSpan FinishedLifetime = TimeSpan.FromMinutes(1);
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (JobSnapshot Snapshot, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public async Task<JobSnapshot> GetAsync(string jobId)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(jobId, out var entry) && entry.Expires > now)
        {
            return entry.Snapshot;
        }

        var snapshot = await cluster.GetGrain<IJobGrain>(jobId).GetAsync().ConfigureAwait(false);
        Put(snapshot);
        return snapshot;
    }

    public void Put(JobSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var finished = snapshot.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
        var lifetime = finished ? FinishedLifetime : TimeSpan.FromMilliseconds(options.Value.StatusCacheMilliseconds);
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _entries.Where(pair => pair.Value.Expires <= now).Select(pair => pair.Key).ToList())
            {
                _entries.TryRemove(stale, out _);
            }

            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
        }

        _entries[snapshot.JobId] = (snapshot, time.GetUtcNow() + lifetime);
    }

    public void Forget(string jobId) => _entries.TryRemove(jobId, out _);
}
