using MovaCluster.Contracts;
using MovaCluster.Contracts.Progress;
using Orleans.Streams;

namespace MovaCluster.Api.Events;

/// <summary>
/// One Orleans stream subscription per job per gateway, shared by every local watcher of that job: 500 browsers on
/// one job cost the cluster one subscription. Every event also drops the job's cached status, so a client that saw
/// an event never reads an older status afterwards.
/// </summary>
internal sealed class JobFeed(string jobId, Action<string> onEvent)
{
    private readonly Lock _gate = new();
    private readonly List<JobEventWatcher> _watchers = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private StreamSubscriptionHandle<JobEvent>? _subscription;
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
            return true;
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
        onEvent(JobId);
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
