using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>A ticket waiting in line. <see cref="Order"/> is its arrival number and survives requeueing.</summary>
internal sealed record QueuedJob
{
    public required JobTicket Ticket { get; init; }

    public long Order { get; init; }

    /// <summary>Dispatches so far; the next one is attempt <c>Attempts + 1</c>.</summary>
    public int Attempts { get; init; }

    /// <summary>The job's bytes in the queue snapshot, encoded once and reused by every later snapshot.</summary>
    internal byte[]? Encoded { get; set; }
}
