using Orleans.TestingHost;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>One silo, one simulated cpu worker, 20 ms steps: queueing and cancellation are deterministic.</summary>
public sealed class SingleWorkerClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 20, devices: "cpu");

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
