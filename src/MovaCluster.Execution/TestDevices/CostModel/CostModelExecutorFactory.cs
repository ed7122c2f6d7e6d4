using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Sizing;
using MovaCluster.Planning;

namespace MovaCluster.Execution.TestDevices.CostModel;

/// <summary>
/// Builds cost-model executors. Workers are grouped into simulated replicas by device index
/// (<see cref="CostModelExecutorOptions.WorkersPerReplica"/> consecutive indices per replica); the workers of one
/// replica share its GPUs' timeline.
/// </summary>
public sealed class CostModelExecutorFactory(IOptions<CostModelExecutorOptions> options) : IGenerationExecutorFactory
{
    private readonly ConcurrentDictionary<int, SimulatedReplicaTimeline> _replicas = new();
    private readonly Lazy<MovaArchitecture> _architecture = new(() =>
        options.Value.CheckpointFolder is { } folder ? MovaArchitectureReader.FromCheckpoint(folder) : MovaArchitecture.Mova);

    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = options.Value;
        var plan = ExecutionPlan.Parse(settings.Plan);
        var replica = DeviceIndex(device.Name) / settings.WorkersPerReplica;
        var timeline = _replicas.GetOrAdd(replica, _ => new SimulatedReplicaTimeline(plan.GpusPerReplica, settings.TimeCompression));
        return new CostModelGenerationExecutor(_architecture.Value, settings, timeline);
    }

    private static int DeviceIndex(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? 0 : int.Parse(name.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
    }
}
