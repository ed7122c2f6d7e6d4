using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Model.Caching;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>Builds <see cref="SyntheticGenerationExecutor"/>s from <see cref="ExecutionOptions.Synthetic"/>.</summary>
public sealed class SyntheticExecutorFactory(IOptions<ExecutionOptions> options, IOptions<CachingOptions>? caching = null) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device) => new SyntheticGenerationExecutor(options.Value.Synthetic, caching?.Value.ToTiers());
}
