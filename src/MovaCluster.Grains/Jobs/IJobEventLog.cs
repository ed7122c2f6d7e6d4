using MovaCluster.Contracts.Progress;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// A job's recent events kept outside its grain, so a client reconnecting after the grain's silo died still
/// catches up by sequence number once the grain is reactivated elsewhere.
/// </summary>
public interface IJobEventLog
{
    /// <summary>Appends numbered events (in order), keeping at most the newest <paramref name="capacity"/>.</summary>
    Task AppendAsync(string jobId, IReadOnlyList<JobEvent> events, int capacity);

    /// <summary>Sequence number of the newest kept event; 0 when none is kept.</summary>
    Task<long> LastSequenceAsync(string jobId);

    /// <summary>Kept events with a sequence number above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<JobEvent>> ReadAfterAsync(string jobId, long afterSequence);
}
