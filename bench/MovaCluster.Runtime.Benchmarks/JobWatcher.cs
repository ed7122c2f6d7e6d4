using System.Collections.Concurrent;
using MovaCluster.Contracts;
using MovaCluster.Contracts.Progress;
using Orleans.Streams;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>Completes when a job's progress stream reports completion; records when each phase began.</summary>
internal sealed class JobWatcher
{
    private readonly TaskCompletionSource<JobCompletedEvent> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(JobEvent Event, DateTimeOffset SeenAt)> Events { get; } = new();

    public Task<JobCompletedEvent> Completed => _completed.Task;

    public static async Task<JobWatcher> WatchAsync(IClusterClient client, string jobId)
    {
        var watcher = new JobWatcher();
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<JobEvent>(StreamId.Create(StreamNames.JobEvents, jobId));
        await stream.SubscribeAsync((item, _) =>
        {
            watcher.Events.Enqueue((item, DateTimeOffset.UtcNow));
            switch (item)
            {
                case JobCompletedEvent done:
                    watcher._completed.TrySetResult(done);
                    break;
                case JobFailedEvent failed:
                    watcher._completed.TrySetException(new InvalidOperationException(failed.Error));
                    break;
            }

            return Task.CompletedTask;
        });
        return watcher;
    }
}
