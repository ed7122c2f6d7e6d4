namespace MovaCluster.Api.Events;

/// <summary>A watcher fell so far behind that its buffer overflowed; it should reconnect from its last sequence number.</summary>
public sealed class JobEventsLaggedException(string jobId, long lastSequence)
    : Exception($"The event watcher of job {jobId} fell behind after sequence {lastSequence}; reconnect with that sequence to resume.")
{
    public string JobId { get; } = jobId;

    public long LastSequence { get; } = lastSequence;
}
