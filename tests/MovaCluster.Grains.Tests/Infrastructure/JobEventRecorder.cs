using MovaCluster.Contracts;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using Orleans.Streams;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>
/// Watches a job the way the gateway does: subscribes to its progress stream, and when an event arrives with a
/// sequence gap before it (a job's first event is recorded, not streamed, since nobody can watch a job before its
/// create has answered) fills the gap from <see cref="IJobGrain.GetEventsAsync"/>.
/// </summary>
public sealed class JobEventRecorder : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, JobEvent> _events = [];
    private readonly List<JobEvent> _delivered = [];
    private readonly IJobGrain _job;
    private StreamSubscriptionHandle<JobEvent>? _subscription;

    private JobEventRecorder(IJobGrain job) => _job = job;

    /// <summary>Every event seen so far, from the stream or a gap fill, in sequence order.</summary>
    public IReadOnlyList<JobEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Values];
            }
        }
    }

    /// <summary>The events the stream delivered, in the order it delivered them.</summary>
    public IReadOnlyList<JobEvent> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    public static async Task<JobEventRecorder> SubscribeAsync(IClusterClient client, string jobId)
    {
        var recorder = new JobEventRecorder(client.GetGrain<IJobGrain>(jobId));
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, jobId));
        recorder._subscription = await stream.SubscribeAsync((item, _) => recorder.OnDeliveredAsync(item));
        return recorder;
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, double seconds = 30) where T : JobEvent
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Events.OfType<T>().FirstOrDefault(e => predicate?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No {typeof(T).Name} within {seconds} s; saw: {string.Join(", ", Events.Select(e => $"{e.Sequence}:{e.GetType().Name}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }

    private async Task OnDeliveredAsync(JobEvent item)
    {
        long heldThrough;
        lock (_gate)
        {
            _delivered.Add(item);
            _events[item.Sequence] = item;
            heldThrough = HeldThrough();
        }

        if (heldThrough < item.Sequence)
        {
            var earlier = await _job.GetEventsAsync(heldThrough);
            lock (_gate)
            {
                foreach (var missed in earlier.Where(e => e.Sequence < item.Sequence))
                {
                    _events.TryAdd(missed.Sequence, missed);
                }
            }
        }
    }

    /// <summary>The highest sequence number up to which every event is held (0 when the first is missing).</summary>
    private long HeldThrough()
    {
        var through = 0L;
        foreach (var sequence in _events.Keys)
        {
            if (sequence != through + 1)
            {
                break;
            }

            through = sequence;
        }

        return through;
    }
}
