using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>Builds <see cref="SyntheticGenerationExecutor"/>s from <see cref="ExecutionOptions.Synthetic"/>.</summary>
public sealed class SyntheticExecutorFactory(IOptions<ExecutionOptions> options) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => new SyntheticGenerationExecutor(options.Value.Synthetic);
}
