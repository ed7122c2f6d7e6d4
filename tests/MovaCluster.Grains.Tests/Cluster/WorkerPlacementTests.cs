using MovaCluster.Contracts.Workers;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class WorkerPlacementTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    [Fact]
    public async Task Every_device_registers_one_worker_living_on_the_silo_that_owns_it()
    {
        var registry = fixture.Cluster.Client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
        var silos = fixture.Cluster.Silos.ToDictionary(s => s.Name, s => s.SiloAddress.ToParsableString());

        var workers = await Wait.UntilAsync(registry.ListAsync, list => list.Count == 4, what: "four registered workers");

        Assert.Equal(
            silos.Keys.SelectMany(name => new[] { $"{name}/cpu", $"{name}/cpu:1" }).Order(StringComparer.Ordinal),
            workers.Select(w => w.Worker.WorkerId));
        foreach (var worker in workers.Select(w => w.Worker))
        {
            Assert.Equal(silos[worker.SiloName], worker.SiloAddress);
            Assert.Equal(SyntheticGenerationExecutor.ModelName, worker.ModelName);
            Assert.True(worker.OutputIsNoise);
            Assert.True(worker.MaxVolume > 0);
            var status = await fixture.Cluster.Client.GetGrain<IWorkerGrain>(worker.WorkerId).GetStatusAsync();
            Assert.Equal(worker.SiloAddress, status.Worker.SiloAddress);
        }
    }

    [Fact]
    public async Task A_worker_for_a_silo_that_is_not_in_the_cluster_cannot_be_activated()
    {
        var ghost = fixture.Cluster.Client.GetGrain<IWorkerGrain>("no-such-silo/cuda:0");

        var error = await Assert.ThrowsAnyAsync<Exception>(ghost.StartAsync);

        Assert.Contains("no-such-silo", error.Message, StringComparison.Ordinal);
    }
}
