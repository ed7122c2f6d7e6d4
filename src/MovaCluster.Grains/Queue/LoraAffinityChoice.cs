namespace MovaCluster.Grains.Queue;

/// <summary>The job a worker takes (null: every candidate is left to a free worker that holds its adapters) and the holders to wake.</summary>
internal sealed record LoraAffinityChoice(QueuedJob? Job, IReadOnlyList<string> WakeHolders);
