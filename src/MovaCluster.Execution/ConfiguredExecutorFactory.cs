using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.Planned;
using MovaCluster.Execution.TestDevices.CostModel;
using MovaCluster.Execution.TestDevices.Synthetic;

namespace MovaCluster.Execution;

/// <summary>
/// Builds the executor kind named by <see cref="ExecutionOptions.Executor"/>; MOVA runs on device groups when
/// <see cref="PlannedExecutionOptions.DeviceGroups"/> lists any.
/// </summary>
public sealed class ConfiguredExecutorFactory(
    IOptions<ExecutionOptions> options, IOptions<PlannedExecutionOptions> planned, IServiceProvider services) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => options.Value.Executor switch
    {
        ExecutorKind.Synthetic => services.GetRequiredService<SyntheticExecutorFactory>().Create(device),
        ExecutorKind.Mova when planned.Value.DeviceGroups.Count > 0 => services.GetRequiredService<PlannedMovaExecutorFactory>().Create(device),
        ExecutorKind.Mova => services.GetRequiredService<MovaExecutorFactory>().Create(device),
        ExecutorKind.CostModel => services.GetRequiredService<CostModelExecutorFactory>().Create(device),
        var other => throw new InvalidOperationException($"Executor kind {other} has no factory."),
    };
}
