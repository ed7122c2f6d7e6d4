namespace MovaCluster.Grains.Queue;

/// <summary>The queue's scalar state, stamped on every journal batch.</summary>
internal readonly record struct QueueCounters(long NextOrder, double VirtualClock, double? MillisecondsPerStep, long Requeued);
