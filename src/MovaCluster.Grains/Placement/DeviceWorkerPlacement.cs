namespace MovaCluster.Grains.Placement;

/// <summary>Places a worker grain on the silo named by the first part of its key ("{silo name}/{device}").</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.Grains.DeviceWorkerPlacement")]
public sealed class DeviceWorkerPlacement : PlacementStrategy
{
    public static DeviceWorkerPlacement Instance { get; } = new();
}
