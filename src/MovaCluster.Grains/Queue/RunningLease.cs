namespace MovaCluster.Grains.Queue;

/// <summary>A dispatched job and the worker holding it; renewed by the worker's heartbeats.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.RunningLease")]
public sealed class RunningLease
{
    [Id(0)] public required QueuedJob Job { get; set; }

    [Id(1)] public int Attempt { get; set; }

    [Id(2)] public required string WorkerId { get; set; }

    [Id(3)] public required string SiloAddress { get; set; }

    [Id(4)] public DateTimeOffset RenewedAt { get; set; }
}
