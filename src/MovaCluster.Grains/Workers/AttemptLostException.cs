namespace MovaCluster.Grains.Workers;

/// <summary>An attempt stopped because the cluster (its job grain, the store), not the generation, failed it.</summary>
internal sealed class AttemptLostException(Exception cause) : Exception("The attempt lost its job grain or the store.", cause);
