using MovaCluster.Grains.Workers;
using Orleans.Runtime.Placement;

namespace MovaCluster.Grains.Placement;

/// <summary>
/// Resolves the silo name in a worker key to the live silo of that name. A worker whose silo is gone cannot be
/// activated anywhere else: its device went with the silo.
/// </summary>
internal sealed class DeviceWorkerPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var (siloName, device) = WorkerId.Parse(target.GrainIdentity.Key.ToString()!);
        var compatible = context.GetCompatibleSilos(target);
        var owner = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && member.Name == siloName)
            .Select(member => member.SiloAddress)
            .FirstOrDefault(address => compatible.Contains(address));
        return owner is not null
            ? Task.FromResult(owner)
            : throw new SiloUnavailableException(
                $"Worker for device '{device}' cannot be placed: no active silo named '{siloName}' in the cluster.");
    }
}
