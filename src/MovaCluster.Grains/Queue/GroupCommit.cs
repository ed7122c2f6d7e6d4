using MovaCluster.Contracts.Faults;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Lets many interleaved grain turns share one storage write: each caller awaits a write that started after its
/// change, so every acknowledged change is durable, but a burst of changes costs one write per round, not one each.
/// While the store is unreachable the write is retried with backoff until it succeeds (every retry writes every change
/// made so far); a caller waits at most <see cref="ResilienceOptions.StoreCallBudget"/> and then gets
/// <see cref="StoreUnavailableException"/>, its change still held in memory and stored with the next successful write.
/// Used only from a single activation's turns (no locking needed).
/// </summary>
internal sealed class GroupCommit(Func<Task> write, OutageRetry retry, TimeProvider time, GroupCommit.Observer observer, CancellationToken stopping)
{
    private long _version;
    private long _persisted;
    private Task? _loop;
    private TaskCompletionSource _round = new();
    private long? _failingSince;

    /// <summary>True while the last write attempt failed because the store was unreachable.</summary>
    public bool IsFailing => _failingSince is not null;

    public Task CommitAsync()
    {
        var target = ++_version;
        _loop ??= WriteLoopAsync();
        return WaitForAsync(target);
    }

    private async Task WaitForAsync(long target)
    {
        while (_persisted < target)
        {
            var round = _round.Task;
            if (_failingSince is not { } since)
            {
                await round;
                continue;
            }

            var left = retry.Settings.StoreCallBudget - time.GetElapsedTime(since);
            if (left <= TimeSpan.Zero)
            {
                throw new StoreUnavailableException("The queue's store is unreachable; the change is kept and stored once it is back.");
            }

            if (await Task.WhenAny(round, Task.Delay(left, time)) == round)
            {
                await round;
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (_persisted < _version)
            {
                var version = _version;
                var round = _round;
                try
                {
                    await retry.ExecuteAsync("Queue: storing changes", new RetryWindow(TimeSpan.MaxValue, TimeSpan.Zero), async _ =>
                    {
                        try
                        {
                            await write();
                        }
                        catch (Exception failure) when (TransientFailure.IsStoreOutage(failure))
                        {
                            if (_failingSince is null)
                            {
                                _failingSince = time.GetTimestamp();
                                observer.OnOutage(failure);
                            }

                            throw;
                        }
                    }, stopping);
                }
                catch (Exception failure)
                {
                    _failingSince = null;
                    _round = new TaskCompletionSource();
                    round.SetException(failure);
                    observer.OnWriteFailed(failure);
                    return;
                }

                if (_failingSince is { } since)
                {
                    _failingSince = null;
                    observer.OnRecovered(time.GetElapsedTime(since));
                }

                _persisted = version;
                _round = new TaskCompletionSource();
                round.SetResult();
            }
        }
        finally
        {
            _loop = null;
        }
    }

    /// <summary>What the queue is told about its store.</summary>
    internal sealed record Observer(Action<Exception> OnOutage, Action<TimeSpan> OnRecovered, Action<Exception> OnWriteFailed);
}
