using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts;
using MovaCluster.Execution.Publishing;
using MovaCluster.Execution.TestDevices.CostModel;
using MovaCluster.Grains.Hosting;
using MovaCluster.Storage;
using Orleans.TestingHost;

namespace MovaCluster.CostModelCluster;

/// <summary>
/// Silos with the real runtime (memory providers) whose device workers are cost-model devices. Settings arrive
/// through the test cluster's properties: every <c>Mova:*</c> key is copied into the silo configuration.
/// </summary>
public sealed class CostModelSiloConfigurator : ISiloConfigurator, IClientBuilderConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        siloBuilder.AddMovaMemoryProviders();
        siloBuilder.AddMovaRuntime();
        // Workers fetch LoRA adapter files from the object store; these jobs name none, so an empty local folder serves.
        siloBuilder.Services.AddMovaStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Storage:Provider"] = "LocalDisk",
            ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(Path.GetTempPath(), "mova-costmodel-objects"),
        }).Build());
        siloBuilder.Services.AddMovaCostModelExecution();
        siloBuilder.Services.Replace(ServiceDescriptor.Singleton<IClipPublisher, DiscardingClipPublisher>());
    }

    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddMemoryStreams(StreamNames.Provider);
}
