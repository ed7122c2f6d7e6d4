using System.Diagnostics.CodeAnalysis;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>A ticket waiting in line. <see cref="Order"/> is its arrival number and survives requeueing.</summary>
internal sealed record QueuedJob
{
    public QueuedJob()
    {
    }

    /// <summary>Used by <c>with</c>: a changed copy must not inherit the original's cached bytes.</summary>
    [SetsRequiredMembers]
    private QueuedJob(QueuedJob original)
    {
        Ticket = original.Ticket;
        Order = original.Order;
        Attempts = original.Attempts;
    }

    public required JobTicket Ticket { get; init; }

    public long Order { get; init; }

    /// <summary>Dispatches so far; the next one is attempt <c>Attempts + 1</c>.</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// Times a worker took a later job over this one for LoRA affinity (in memory only); at the queue's limit the next
    /// worker that asks takes it, whatever it holds.
    /// </summary>
    internal int AffinitySkips { get; set; }

    /// <summary>The job's bytes in the queue snapshot, encoded once and reused by every later snapshot.</summary>
    internal byte[]? Encoded { get; set; }
}
