using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Events;

/// <summary>
/// Hands out <see cref="JobEventWatcher"/>s. The watcher is attached to the job's live feed before the buffered
/// events are fetched from the job grain, so nothing published in between is missed (duplicates are dropped by
/// sequence number).
/// </summary>
public sealed class JobEventHub(IClusterClient client, JobSnapshotCache snapshots, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, JobFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>Number of jobs this gateway currently holds a stream subscription for.</summary>
    public int ActiveFeeds => _feeds.Count;

    /// <summary>
    /// Watches a job from after <paramref name="afterSequence"/>. When the job is already finished, the watcher
    /// replays the buffered events and ends.
    /// </summary>
    public async Task<JobEventWatcher> WatchAsync(string jobId, long afterSequence, CancellationToken cancellationToken)
    {
        JobFeed? attached = null;
        var watcher = new JobEventWatcher(jobId, afterSequence, leaving => DetachAsync(attached, leaving));
        JobFeed feed;
        while (true)
        {
            feed = _feeds.GetOrAdd(jobId, id => new JobFeed(id, snapshots, options.Value.QueuePositionInterval, time));
            if (feed.TryAttach(watcher))
            {
                break;
            }

            // The feed is closing (its last watcher just left): drop it so the next round makes a fresh one.
            _feeds.TryRemove(new KeyValuePair<string, JobFeed>(jobId, feed));
        }

        attached = feed;
        try
        {
            await feed.EnsureSubscribedAsync(client, cancellationToken).ConfigureAwait(false);
            var job = client.GetGrain<IJobGrain>(jobId);
            var snapshot = await job.GetAsync().ConfigureAwait(false);
            var replay = await job.GetEventsAsync(afterSequence).ConfigureAwait(false);
            var finished = snapshot.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
            watcher.SetReplay(replay, replayOnly: finished);
            if (!finished)
            {
                feed.WatchQueuePosition();
            }

            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask DetachAsync(JobFeed? feed, JobEventWatcher watcher)
    {
        if (feed is not null && feed.Detach(watcher))
        {
            _feeds.TryRemove(new KeyValuePair<string, JobFeed>(watcher.JobId, feed));
            await feed.UnsubscribeAsync().ConfigureAwait(false);
        }
    }
}
