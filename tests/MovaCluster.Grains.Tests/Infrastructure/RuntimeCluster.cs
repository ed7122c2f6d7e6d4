using Orleans.TestingHost;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Builds and starts a test cluster running the MOVA runtime.</summary>
public static class RuntimeCluster
{
    /// <summary>Local-disk clip store folder of the cluster with <paramref name="clusterId"/>.</summary>
    public static string ClipRoot(string clusterId) => Path.Combine(Path.GetTempPath(), "mova-test-clips", clusterId);

    /// <summary>
    /// Starts <paramref name="silos"/> silos with <paramref name="devices"/> each, on Redis when given; the workers run
    /// <paramref name="executor"/>: "Synthetic" (the default, <paramref name="stepDelayMs"/> per step) or "Mova" (the
    /// tiny random-weights MOVA); <paramref name="properties"/> adds silo settings (e.g. <see cref="RuntimeSiloConfigurator.PlanKey"/>).
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        int silos, double stepDelayMs, string devices, string? redis = null, string? serviceId = null, string executor = "Synthetic",
        IReadOnlyDictionary<string, string>? properties = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ClusterId = "mova-test-" + Guid.NewGuid().ToString("N")[..8];
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.Properties[RuntimeSiloConfigurator.StepDelayKey] = stepDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[RuntimeSiloConfigurator.DevicesKey] = devices;
        builder.Properties[RuntimeSiloConfigurator.ExecutorKey] = executor;
        builder.Properties[RuntimeSiloConfigurator.ClipDirectoryKey] = ClipRoot(builder.Options.ClusterId);
        if (redis is not null)
        {
            builder.Options.UseTestClusterMembership = false;
            builder.Properties[RuntimeSiloConfigurator.RedisKey] = redis;
        }

        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<RuntimeSiloConfigurator>();
        builder.AddClientBuilderConfigurator<RuntimeSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
