namespace MovaCluster.Api.Waiting;

/// <summary>The wait list in this process (the embedded single-process deployment): lost when the process ends.</summary>
public sealed class InMemoryWorkerWaitList : IWorkerWaitList
{
    private readonly Dictionary<string, WorkerWait> _waits = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task AddAsync(WorkerWait wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wait);
        lock (_gate)
        {
            _waits[wait.VideoId] = wait;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerWait>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var due = _waits.Values.Where(wait => wait.Until <= now).OrderBy(wait => wait.Until).Take(max).ToList();
            foreach (var wait in due)
            {
                _waits.Remove(wait.VideoId);
            }

            return Task.FromResult<IReadOnlyList<WorkerWait>>(due);
        }
    }

    public Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _waits.Remove(videoId);
        }

        return Task.CompletedTask;
    }
}
