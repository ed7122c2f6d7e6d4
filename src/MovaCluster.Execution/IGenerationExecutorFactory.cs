using MovaCluster.Execution.DeviceThreads;

namespace MovaCluster.Execution;

/// <summary>Builds the executor of a device; called on that device's worker thread.</summary>
public interface IGenerationExecutorFactory
{
    IGenerationExecutor Create(DeviceContext device);
}
