namespace MovaCluster.Grains.Queue;

/// <summary>
/// Persistent journal of the dispatch queue: the change batches committed since the base snapshot
/// (<see cref="JobQueueState"/>) was last rewritten, in the binary form of <see cref="QueueJournal"/>.
/// </summary>
[GenerateSerializer, Alias("MovaCluster.Grains.QueueJournalState")]
public sealed class QueueJournalState
{
    [Id(0)] public byte[] Batches { get; set; } = [];
}
