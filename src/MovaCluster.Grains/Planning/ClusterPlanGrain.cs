using MovaCluster.Contracts.Planning;

namespace MovaCluster.Grains.Planning;

/// <summary>Keeps the latest plan in memory: every silo republishes it when it starts, so nothing needs persisting.</summary>
public sealed class ClusterPlanGrain : Grain, IClusterPlanGrain
{
    private ClusterPlanView? _plan;

    public Task PublishAsync(ClusterPlanView plan)
    {
        _plan = plan;
        return Task.CompletedTask;
    }

    public Task<ClusterPlanView?> GetAsync() => Task.FromResult(_plan);
}
