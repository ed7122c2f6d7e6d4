namespace MovaCluster.Grains.Queue;

/// <summary>Persistent state of the dispatch queue.</summary>
[GenerateSerializer, Alias("MovaCluster.Grains.JobQueueState")]
public sealed class JobQueueState
{
    [Id(0)] public List<QueuedJob> Queued { get; set; } = [];

    [Id(1)] public List<RunningLease> Running { get; set; } = [];

    /// <summary>Virtual time of each tenant in the fair-share scheduler.</summary>
    [Id(2)] public Dictionary<string, double> TenantPass { get; set; } = [];

    [Id(3)] public double VirtualClock { get; set; }

    [Id(4)] public long NextOrder { get; set; }

    [Id(5)] public double? MillisecondsPerStep { get; set; }

    [Id(6)] public long Requeued { get; set; }
}
