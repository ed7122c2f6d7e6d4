using Orleans.Placement;

namespace MovaCluster.Grains.Placement;

/// <summary>Marks grains that must run on the silo owning their device.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceWorkerPlacementAttribute() : PlacementAttribute(DeviceWorkerPlacement.Instance);
