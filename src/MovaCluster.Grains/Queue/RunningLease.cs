namespace MovaCluster.Grains.Queue;

/// <summary>A dispatched job and the worker holding it; renewed by the worker's heartbeats.</summary>
internal sealed class RunningLease
{
    public required QueuedJob Job { get; set; }

    public int Attempt { get; set; }

    public required string WorkerId { get; set; }

    public required string SiloAddress { get; set; }

    public DateTimeOffset RenewedAt { get; set; }
}
