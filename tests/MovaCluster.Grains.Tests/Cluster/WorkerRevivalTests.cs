using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// Orleans deactivates a grain whose directory entry lived on a silo that died, worker grains included, and a
/// queue that was reactivated at the same time does not know the worker to wake it. The silo brings its workers
/// back by itself, so new jobs still run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerRevivalTests
{
    [Fact]
    public async Task A_deactivated_idle_worker_comes_back_and_runs_the_next_job()
    {
        var cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu");
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            var worker = (await Wait.UntilAsync(registry.ListAsync, list => list.Count == 1, what: "the worker")).Single().Worker;
            var management = client.GetGrain<IManagementGrain>(0);
            var workerGrain = client.GetGrain<IWorkerGrain>(worker.WorkerId);
            var queue = client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);
            var before = await workerGrain.GetStatusAsync();

            await management.DeactivateGrain(queue.GetGrainId());
            await management.DeactivateGrain(workerGrain.GetGrainId());
            var job = client.GetGrain<IJobGrain>(Requests.NewJobId());
            await job.SubmitAsync(Requests.Tiny("revival", steps: 3));
            var finished = await Wait.UntilAsync(job.GetAsync, s => s.Status == JobStatus.Completed, seconds: 30, what: "the job to run on the revived worker");

            Assert.Equal(worker.WorkerId, finished.WorkerId);
            Assert.Equal(1, finished.Attempt);
            Assert.True(before.JobsRun == 0 && (await workerGrain.GetStatusAsync()).JobsRun == 1, "the worker should be a new activation that ran exactly this job");
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
