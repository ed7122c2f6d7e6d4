using Orleans.TestingHost;

namespace MovaCluster.Grains.Tests.Infrastructure;

/// <summary>Two silos with two simulated cpu workers each and 10 ms steps; memory providers.</summary>
public sealed class TwoSiloClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RuntimeCluster.StartAsync(silos: 2, stepDelayMs: 10, devices: "cpu,cpu:1");

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
