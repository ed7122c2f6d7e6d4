using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// Orleans deactivates a grain whose directory entry lived on a silo that died, worker grains included, and a
/// queue that was reactivated at the same time does not know the worker to wake it. The silo brings its workers
/// back by itself, so new jobs still run, and a job its device was running carries on under the new activation.
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

    [Fact]
    public async Task A_worker_deactivated_mid_job_is_revived_and_its_new_activation_finishes_the_same_attempt()
    {
        var cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 50, devices: "cpu");
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            var worker = (await Wait.UntilAsync(registry.ListAsync, list => list.Count == 1, what: "the worker")).Single().Worker;
            var job = client.GetGrain<IJobGrain>(Requests.NewJobId());
            await job.SubmitAsync(Requests.Tiny("revival", steps: 40));
            await Wait.UntilAsync(job.GetAsync, s => s.CompletedSteps >= 5, what: "step 5");

            await client.GetGrain<IManagementGrain>(0).DeactivateGrain(client.GetGrain<IWorkerGrain>(worker.WorkerId).GetGrainId());
            var finished = await Wait.UntilAsync(job.GetAsync, s => s.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled, seconds: 60, what: "the job to finish");
            var statistics = await client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();

            Assert.Equal(JobStatus.Completed, finished.Status);
            Assert.Equal(1, finished.Attempt);
            Assert.Equal(0, statistics.Requeued);
            Assert.Null((await Wait.UntilAsync(client.GetGrain<IWorkerGrain>(worker.WorkerId).GetStatusAsync, s => s.RunningJobId is null, what: "the worker to be idle")).RunningJobId);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
