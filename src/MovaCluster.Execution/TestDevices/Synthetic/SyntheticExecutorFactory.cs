using Microsoft.Extensions.Options;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Lora;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>Builds <see cref="SyntheticGenerationExecutor"/>s from <see cref="ExecutionOptions.Synthetic"/>.</summary>
public sealed class SyntheticExecutorFactory(IOptions<ExecutionOptions> options, LoraResidency? residency = null) : IGenerationExecutorFactory
{
    public IGenerationExecutor Create(DeviceContext device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var settings = options.Value;
        return new SyntheticGenerationExecutor(settings.Synthetic, new SyntheticLoraApplier(settings.Synthetic, settings.Lora, residency, device.Name));
    }
}
