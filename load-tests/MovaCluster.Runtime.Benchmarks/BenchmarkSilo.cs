using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovaCluster.Grains.Hosting;
using MovaCluster.Storage;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// One embedded silo with the real runtime, the simulated executor as a zero-cost device (no step delay, 16-value
/// latents) and the raw clip publisher, so what is measured is orchestration: queue, grains, storage, streams.
/// </summary>
internal static class BenchmarkSilo
{
    /// <summary>
    /// Memory grain storage, or Redis grain storage when <paramref name="redis"/> (a connection string) is given;
    /// Orleans' default loopback ports unless <paramref name="ports"/> names others (silo, client gateway).
    /// </summary>
    public static async Task<IHost> StartAsync(int devices, IDictionary<string, string?> settings, string? redis = null, (int Silo, int Gateway)? ports = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var configuration = new Dictionary<string, string?>
        {
            ["Mova:Execution:Executor"] = "Synthetic",
            ["Mova:Execution:Synthetic:StepDelay"] = "00:00:00",
            ["Mova:Execution:Synthetic:VideoLatentValues"] = "16",
            ["Mova:Execution:Synthetic:AudioLatentValues"] = "16",
            ["Mova:RawClips:Directory"] = Path.Combine(Path.GetTempPath(), "mova-bench-clips"),
            ["Mova:Storage:Provider"] = "LocalDisk",
            ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(Path.GetTempPath(), "mova-bench-objects"),
            ["Mova:Queue:MaxQueuedPerTenant"] = "100000",
            ["Mova:Queue:MaxQueued"] = "100000",
            ["Mova:Queue:MaxRunningPerTenant"] = "1000",
            ["Mova:Jobs:MaxSteps"] = "5000",
        };
        for (var i = 0; i < devices; i++)
        {
            configuration[$"Mova:Execution:Devices:{i}"] = i == 0 ? "cpu" : $"cpu:{i}";
        }

        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        // The object store holds LoRA adapter files; workers fetch a job's adapters from it.
        builder.Services.AddMovaStorage(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            if (ports is { } chosen)
            {
                silo.UseLocalhostClustering(chosen.Silo, chosen.Gateway);
            }
            else
            {
                silo.UseLocalhostClustering();
            }

            if (redis is null)
            {
                silo.AddMovaMemoryProviders();
            }
            else
            {
                silo.AddMovaRedisProviders(redis);
            }

            silo.AddMovaRuntime();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static IClusterClient Client(this IHost host) => host.Services.GetRequiredService<IClusterClient>();
}
