using Microsoft.Extensions.Options;
using MovaCluster.Execution;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.TestDevices.Synthetic;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Registered instead of the simulated factory by silos of the hung-worker tests.</summary>
public sealed class HangingExecutorFactory(IOptions<ExecutionOptions> options) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => new HangingExecutor(new SyntheticGenerationExecutor(options.Value.Synthetic));
}
