using System.Collections.Concurrent;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Progress;
using Orleans.Streams;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Subscribes to a job's progress stream and keeps every event it receives.</summary>
public sealed class JobEventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<JobEvent> _events = new();
    private StreamSubscriptionHandle<JobEvent>? _subscription;

    public IReadOnlyList<JobEvent> Events => [.. _events];

    public static async Task<JobEventRecorder> SubscribeAsync(IClusterClient client, string jobId)
    {
        var recorder = new JobEventRecorder();
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, jobId));
        recorder._subscription = await stream.SubscribeAsync((item, _) =>
        {
            recorder._events.Enqueue(item);
            return Task.CompletedTask;
        });
        return recorder;
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, double seconds = 30) where T : JobEvent
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(e => predicate?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No {typeof(T).Name} within {seconds} s; saw: {string.Join(", ", _events.Select(e => $"{e.Sequence}:{e.GetType().Name}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }
}
