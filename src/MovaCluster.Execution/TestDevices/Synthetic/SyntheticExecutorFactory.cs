using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;
using MovaCluster.Model.Caching;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>Builds <see cref="SyntheticGenerationExecutor"/>s from <see cref="ExecutionOptions.Synthetic"/>.</summary>
public sealed class SyntheticExecutorFactory(IOptions<ExecutionOptions> options, IOptions<CachingOptions>? caching = null, LoraResidency? residency = null)
    : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = options.Value;
        return new SyntheticGenerationExecutor(settings.Synthetic, caching?.Value.ToTiers(), new SyntheticLoraApplier(settings.Synthetic, settings.Lora, residency, device.Name));
    }
}
