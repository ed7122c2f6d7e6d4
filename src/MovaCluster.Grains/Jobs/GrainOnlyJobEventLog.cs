using MovaCluster.Contracts.Progress;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// The embedded default: events live only in the job grain's own buffer. With a single silo there is nowhere for
/// the grain to move, so nothing outside it would ever be read.
/// </summary>
internal sealed class GrainOnlyJobEventLog : IJobEventLog
{
    public Task AppendAsync(string jobId, IReadOnlyList<JobEvent> events, int capacity) => Task.CompletedTask;

    public Task<long> LastSequenceAsync(string jobId) => Task.FromResult(0L);

    public Task<IReadOnlyList<JobEvent>> ReadAfterAsync(string jobId, long afterSequence) => Task.FromResult<IReadOnlyList<JobEvent>>([]);
}
