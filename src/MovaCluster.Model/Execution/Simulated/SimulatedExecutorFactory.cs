using Microsoft.Extensions.Options;

namespace MovaCluster.Model.Execution.Simulated;

/// <summary>Builds <see cref="SimulatedGenerationExecutor"/>s from <see cref="ExecutionOptions.Simulated"/>.</summary>
public sealed class SimulatedExecutorFactory(IOptions<ExecutionOptions> options) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => new SimulatedGenerationExecutor(options.Value.Simulated);
}
