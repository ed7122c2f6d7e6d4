using MovaCluster.Contracts.Progress;

namespace MovaCluster.Grains.Jobs;

/// <summary>The most recent events of a job, so a reconnecting client can catch up by sequence number.</summary>
internal sealed class JobEventBuffer(int capacity)
{
    private readonly Queue<JobEvent> _events = new();

    public void Add(JobEvent item)
    {
        _events.Enqueue(item);
        while (_events.Count > capacity)
        {
            _events.Dequeue();
        }
    }

    /// <summary>True when every event after <paramref name="sequence"/> is still held (none was dropped or missed).</summary>
    public bool Covers(long sequence) => _events.Count > 0 && _events.Peek().Sequence <= sequence + 1;

    public IReadOnlyList<JobEvent> After(long sequence) => _events.Where(e => e.Sequence > sequence).ToList();
}
