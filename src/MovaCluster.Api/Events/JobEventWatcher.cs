using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Api.Events;

/// <summary>
/// One client's view of a job's events: first the buffered events after its resume point, then live events, each
/// exactly once and in sequence order, ending after the terminal event. Disposing it only detaches the client.
/// </summary>
public sealed class JobEventWatcher : IAsyncDisposable
{
    /// <summary>Live events a watcher may hold before it counts as lagging.</summary>
    public const int Capacity = 1024;

    private readonly Channel<JobEvent> _live = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Func<JobEventWatcher, ValueTask> _detach;
    private IReadOnlyList<JobEvent> _replay = [];
    private bool _replayOnly;
    private int _disposed;

    internal JobEventWatcher(string jobId, long afterSequence, Func<JobEventWatcher, ValueTask> detach)
    {
        JobId = jobId;
        LastSequence = afterSequence;
        _detach = detach;
    }

    public string JobId { get; }

    /// <summary>Sequence number of the last event handed out (the resume point).</summary>
    public long LastSequence { get; private set; }

    public static bool IsTerminal(JobEvent item) => item is JobCompletedEvent or JobFailedEvent or JobCancelledEvent;

    /// <summary>
    /// Events in order; a null item is a heartbeat, yielded when nothing happened for <paramref name="heartbeat"/>.
    /// Throws <see cref="JobEventsLaggedException"/> when the client read too slowly.
    /// </summary>
    public async IAsyncEnumerable<JobEvent?> ReadAllAsync(TimeSpan heartbeat, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in _replay)
        {
            if (item.Sequence > LastSequence)
            {
                LastSequence = item.Sequence;
                yield return item;
                if (IsTerminal(item))
                {
                    yield break;
                }
            }
        }

        if (_replayOnly)
        {
            yield break;
        }

        while (true)
        {
            var waiting = _live.Reader.WaitToReadAsync(cancellationToken).AsTask();
            var finished = await Task.WhenAny(waiting, Task.Delay(heartbeat, cancellationToken)).ConfigureAwait(false);
            if (finished != waiting)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return null;
                await waiting.ConfigureAwait(false);
            }

            if (!await waiting.ConfigureAwait(false))
            {
                yield break;
            }

            while (_live.Reader.TryRead(out var item))
            {
                if (item.Sequence <= LastSequence)
                {
                    continue;
                }

                LastSequence = item.Sequence;
                yield return item;
                if (IsTerminal(item))
                {
                    yield break;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _live.Writer.TryComplete();
            await _detach(this).ConfigureAwait(false);
        }
    }

    internal void SetReplay(IReadOnlyList<JobEvent> replay, bool replayOnly)
    {
        _replay = [.. replay.OrderBy(item => item.Sequence)];
        _replayOnly = replayOnly;
    }

    internal void Offer(JobEvent item)
    {
        if (!_live.Writer.TryWrite(item))
        {
            _live.Writer.TryComplete(new JobEventsLaggedException(JobId, LastSequence));
        }
    }
}
