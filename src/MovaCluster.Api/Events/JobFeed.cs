using MovaCluster.Api.Videos;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using Orleans.Streams;

namespace MovaCluster.Api.Events;

/// <summary>
/// One Orleans stream subscription per job per gateway, shared by every local watcher of that job: 500 browsers on
/// one job cost the cluster one subscription. Every event also drops the job's cached status, so a client that saw
/// an event never reads an older status afterwards. While the job waits in the queue the feed also looks at its
/// place in line every <c>positionInterval</c> (one status read per job per gateway, however many watch) and hands
/// it to the watchers as an unnumbered <see cref="JobQueuedEvent"/>; each watcher passes on only what changed.
/// </summary>
internal sealed class JobFeed(string jobId, JobSnapshotCache snapshots, TimeSpan positionInterval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<JobEventWatcher> _watchers = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private StreamSubscriptionHandle<JobEvent>? _subscription;
    private int _watchingPosition;
    private bool _closed;

    public string JobId { get; } = jobId;

    /// <summary>False when the feed is closing (its last watcher left); the caller makes a new feed.</summary>
    public bool TryAttach(JobEventWatcher watcher)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _watchers.Add(watcher);
            return true;
        }
    }

    /// <summary>Removes the watcher; true when it was the last one and the feed is now closed.</summary>
    public bool Detach(JobEventWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
            if (_watchers.Count > 0)
            {
                return false;
            }

            _closed = true;
        }

        _closing.Cancel();
        return true;
    }

    /// <summary>Starts looking at the job's place in line (once per feed); it stops when the job leaves the queue for good or the feed closes.</summary>
    public void WatchQueuePosition()
    {
        if (Interlocked.Exchange(ref _watchingPosition, 1) == 0)
        {
            _ = Task.Run(WatchQueuePositionAsync);
        }
    }

    private async Task WatchQueuePositionAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(positionInterval, time);
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                JobSnapshot snapshot;
                try
                {
                    snapshot = await snapshots.GetAsync(JobId).ConfigureAwait(false);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    // The cluster did not answer this time; the next tick asks again.
                    continue;
                }

                if (snapshot.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled)
                {
                    return;
                }

                if (snapshot is { Status: JobStatus.Queued, QueuePosition: { } position })
                {
                    Offer(new JobQueuedEvent
                    {
                        JobId = JobId,
                        Sequence = 0,
                        Timestamp = time.GetUtcNow(),
                        Position = position,
                        EstimatedWait = snapshot.EstimatedWait,
                        EstimatedRemaining = snapshot.EstimatedRemaining,
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task EnsureSubscribedAsync(IClusterClient client, CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            return;
        }

        await _subscribing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_subscription is null)
            {
                var stream = client.GetStreamProvider(StreamNames.Provider)
                    .GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, JobId));
                _subscription = await stream.SubscribeAsync((item, _) =>
                {
                    Broadcast(item);
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    public async Task UnsubscribeAsync()
    {
        await _subscribing.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_subscription is { } subscription)
            {
                _subscription = null;
                await subscription.UnsubscribeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void Broadcast(JobEvent item)
    {
        snapshots.Forget(JobId);
        Offer(item);
    }

    private void Offer(JobEvent item)
    {
        JobEventWatcher[] watchers;
        lock (_gate)
        {
            watchers = [.. _watchers];
        }

        foreach (var watcher in watchers)
        {
            watcher.Offer(item);
        }
    }
}
