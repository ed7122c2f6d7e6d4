namespace MovaCluster.Grains.Queue;

/// <summary>
/// Persistent state of the dispatch queue: one compact binary snapshot (<see cref="QueueSnapshot"/>). A queue of
/// thousands of jobs is rewritten on every commit round, so the snapshot avoids per-object serialization costs.
/// </summary>
[GenerateSerializer, Alias("MovaCluster.Grains.JobQueueState")]
public sealed class JobQueueState
{
    [Id(0)] public byte[] Snapshot { get; set; } = [];
}
