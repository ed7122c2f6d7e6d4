using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// A worker whose device thread hangs mid-job (its grain is alive and keeps heart-beating): the worker stops renewing
/// the lease once the run shows no progress, the queue takes the job back after the lease timeout, another worker
/// resumes it from its checkpoint and completes it once, and everything the hung attempt says later is ignored.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HungWorkerTests(ITestOutputHelper output)
{
    private const int Steps = 20;
    private const int HangAtStep = 10;

    [Fact]
    public async Task A_job_on_a_hung_device_moves_to_another_worker_after_the_lease_timeout_and_completes_once()
    {
        DeviceHang.Arm(HangAtStep);
        var cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 40, devices: "cpu,cpu:1", properties: new Dictionary<string, string>
        {
            [RuntimeSiloConfigurator.HangingExecutorKey] = "true",
            [RuntimeSiloConfigurator.StallTimeoutMsKey] = "2000",
            [RuntimeSiloConfigurator.LeaseTimeoutMsKey] = "3000",
        });
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            await Wait.UntilAsync(registry.ListAsync, list => list.Count == 2, what: "both workers");
            var jobId = Requests.NewJobId();
            var job = client.GetGrain<IJobGrain>(jobId);
            await job.SubmitAsync(Requests.Tiny("hung-worker", steps: Steps, seed: 99));

            Assert.Equal(jobId, await DeviceHang.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            var hung = await job.GetAsync();
            var finished = await Wait.UntilAsync(job.GetAsync, s => s.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled, seconds: 60, what: "the job to finish elsewhere");
            var events = await job.GetEventsAsync(0);
            output.WriteLine($"device of {hung.WorkerId} hung at step {HangAtStep}; job finished on {finished.WorkerId}, attempt {finished.Attempt}");

            Assert.Equal(JobStatus.Completed, finished.Status);
            Assert.Equal(2, finished.Attempt);
            Assert.NotEqual(hung.WorkerId, finished.WorkerId);
            var resumed = events.OfType<JobStartedEvent>().Single(e => e.Attempt == 2);
            Assert.Equal(8, resumed.ResumedFromStep);
            // The second attempt redoes the steps after its checkpoint that the first one reported (up to the hang; the
            // hung attempt's last report may come too late to count) without reporting them again: progress never goes
            // back, and every later step is reported once.
            var reportedBefore = events.OfType<JobStepEvent>().Where(e => e.Sequence < resumed.Sequence).Max(e => e.Step);
            Assert.InRange(reportedBefore, resumed.ResumedFromStep, HangAtStep);
            Assert.Equal(Enumerable.Range(reportedBefore + 1, Steps - reportedBefore), events.OfType<JobStepEvent>().Where(e => e.Sequence > resumed.Sequence).Select(e => e.Step));
            Assert.Single(events.OfType<JobCompletedEvent>());
            Assert.Contains(events, e => e is JobQueuedEvent && e.Sequence > events.OfType<JobStartedEvent>().First().Sequence && e.Sequence < resumed.Sequence);

            // The hung attempt wakes up: its step report is refused, it stops at the next step boundary and its
            // cancellation is ignored; the job stays completed with its clip and its event count unchanged.
            DeviceHang.ReleaseDevice();
            var hungRunOutcome = await DeviceHang.HungRunEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.IsAssignableFrom<OperationCanceledException>(hungRunOutcome);
            var hungWorker = client.GetGrain<IWorkerGrain>(hung.WorkerId!);
            await Wait.UntilAsync(hungWorker.GetStatusAsync, s => s.RunningJobId is null, what: "the hung worker to drop the stale run");
            Assert.False(await job.ReportAsync(1, [new JobStepEvent { Step = HangAtStep + 1, TotalSteps = Steps }]));
            await job.CompleteAsync(1, new ClipLocation { Key = "stale", ContentType = "video/mp4", SizeBytes = 1, Sha256 = "00" });
            await job.FailAsync(1, "stale attempt");
            var settled = await job.GetAsync();
            var statistics = await client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();

            Assert.Equal(JobStatus.Completed, settled.Status);
            Assert.Equal(finished.Clip, settled.Clip);
            Assert.Equal(finished.LastEventSequence, settled.LastEventSequence);
            Assert.Equal(2, settled.Attempt);
            Assert.Equal(1, statistics.Requeued);
            Assert.Equal(0, statistics.Running);
        }
        finally
        {
            DeviceHang.ReleaseDevice();
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
