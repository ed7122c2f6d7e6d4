using Microsoft.Extensions.Options;
using MovaCluster.Model.Execution.Mova;
using MovaCluster.Model.Execution.Simulated;

namespace MovaCluster.Model.Execution;

/// <summary>Builds the executor kind named by <see cref="ExecutionOptions.Executor"/>.</summary>
public sealed class ConfiguredExecutorFactory(
    IOptions<ExecutionOptions> options, SimulatedExecutorFactory simulated, MovaExecutorFactory mova) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => options.Value.Executor switch
    {
        ExecutorKind.Simulated => simulated.Create(device),
        ExecutorKind.Mova => mova.Create(device),
        var other => throw new InvalidOperationException($"Executor kind {other} has no factory."),
    };
}
