namespace MovaCluster.Grains.Queue;

/// <summary>A dispatched job and the worker holding it; renewed by the worker's heartbeats.</summary>
internal sealed class RunningLease
{
    public required QueuedJob Job { get; set; }

    public int Attempt { get; set; }

    public required string WorkerId { get; set; }

    public required string SiloAddress { get; set; }

    public DateTimeOffset RenewedAt { get; set; }

    /// <summary>
    /// The job was submitted again while this lease was out: its first job state was never written (the silo died
    /// after queueing it) or was withdrawn, so the worker's start may be refused. Its release then puts the job back in
    /// line instead of dropping the only ticket the resubmitted job has. Stored with the lease (journal and snapshot), so a
    /// queue restart keeps it.
    /// </summary>
    public bool Resubmitted { get; set; }
}
