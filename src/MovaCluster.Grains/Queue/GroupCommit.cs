namespace MovaCluster.Grains.Queue;

/// <summary>
/// Lets many interleaved grain turns share one storage write: each caller awaits a write that started after its
/// change, so every acknowledged change is durable, but a burst of changes costs one write per round, not one each.
/// Used only from a single activation's turns (no locking needed).
/// </summary>
internal sealed class GroupCommit(Func<Task> write)
{
    private long _version;
    private long _persisted;
    private Task? _loop;
    private TaskCompletionSource _round = new();

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
            await _round.Task;
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
                    await write();
                }
                catch (Exception failure)
                {
                    _round = new TaskCompletionSource();
                    round.SetException(failure);
                    return;
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
}
