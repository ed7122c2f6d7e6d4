using System.Collections.Concurrent;
using MovaCluster.Api.Waiting;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>The real wait list, with an injectable failure around adding, and a record of what it holds.</summary>
public sealed class FaultyWorkerWaitList(IWorkerWaitList inner, CreateFaults faults) : IWorkerWaitList
{
    private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);

    public bool Lists(string videoId) => _listed.ContainsKey(videoId);

    public async Task AddAsync(WorkerWait wait, CancellationToken cancellationToken)
    {
        faults.At(CreateStep.WorkerWait, afterEffect: false);
        await inner.AddAsync(wait, cancellationToken);
        _listed[wait.VideoId] = true;
        faults.At(CreateStep.WorkerWait, afterEffect: true);
    }

    public async Task<IReadOnlyList<WorkerWait>> ClaimDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var claimed = await inner.ClaimDueAsync(now, max, cancellationToken);
        foreach (var wait in claimed)
        {
            _listed.TryRemove(wait.VideoId, out _);
        }

        return claimed;
    }

    public async Task RemoveAsync(string videoId, CancellationToken cancellationToken)
    {
        await inner.RemoveAsync(videoId, cancellationToken);
        _listed.TryRemove(videoId, out _);
    }
}
