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
    private int? _lastPosition;
    private TimeSpan? _lastEstimate;

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
    /// Events in order; a null item is a heartbeat, yielded every <paramref name="heartbeat"/> that passes without an
    /// event, for as long as the stream is open. Queue positions of a waiting job arrive as unnumbered (sequence 0)
    /// <see cref="JobQueuedEvent"/>s, only when the position or the estimate changed for this watcher.
    /// Throws <see cref="JobEventsLaggedException"/> when the client read too slowly.
    /// </summary>
    public async IAsyncEnumerable<JobEvent?> ReadAllAsync(TimeSpan heartbeat, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in _replay)
        {
            if (item.Sequence > LastSequence)
            {
                LastSequence = item.Sequence;
                Remember(item);
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
            while (!waiting.IsCompleted)
            {
                // A fresh timer for every beat: the stream stays alive however long the job is quiet.
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var finished = await Task.WhenAny(waiting, Task.Delay(heartbeat, beat.Token)).ConfigureAwait(false);
                if (finished == waiting)
                {
                    await beat.CancelAsync().ConfigureAwait(false);
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                yield return null;
            }

            if (!await waiting.ConfigureAwait(false))
            {
                yield break;
            }

            while (_live.Reader.TryRead(out var item))
            {
                if (item.Sequence == 0)
                {
                    if (item is JobQueuedEvent position && Remember(position))
                    {
                        yield return item;
                    }

                    continue;
                }

                if (item.Sequence <= LastSequence)
                {
                    continue;
                }

                LastSequence = item.Sequence;
                Remember(item);
                yield return item;
                if (IsTerminal(item))
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The position and estimate the client saw last (from the snapshot it was sent first).</summary>
    public void SawQueuePosition(int? position, TimeSpan? estimate)
    {
        _lastPosition = position;
        _lastEstimate = estimate;
    }

    /// <summary>Notes what the client is told about its place in line; false when an unnumbered update would tell it nothing new.</summary>
    private bool Remember(JobEvent item)
    {
        if (item is not JobQueuedEvent queued)
        {
            if (item is JobStartedEvent)
            {
                _lastPosition = null;
            }

            return false;
        }

        var moved = queued.Position != _lastPosition;
        var estimate = queued.EstimatedRemaining ?? queued.EstimatedWait;
        var drifted = estimate is { } now && (_lastEstimate is not { } before || Math.Abs((now - before).TotalSeconds) > Math.Max(5, 0.1 * before.TotalSeconds));
        if (!moved && !drifted && item.Sequence == 0)
        {
            return false;
        }

        _lastPosition = queued.Position;
        _lastEstimate = estimate;
        return true;
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
