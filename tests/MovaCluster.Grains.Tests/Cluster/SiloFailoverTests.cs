using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Testing;
using Xunit.Abstractions;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// Two silos on real Redis (membership, grain storage, checkpoints). The silo running a job is killed in the
/// middle of denoising; the job must finish exactly once, on the other silo, from its last checkpoint, with the
/// same MP4 bytes (hence the same frames and audio samples) as a run that was never interrupted. Run with the
/// simulated device (long jobs, a kill deep into denoising) and with the tiny random-weights MOVA (the real
/// pipeline: text encoder, VAE image condition, both experts, bridge, VAE and DAC decode).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFailoverTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int CheckpointEvery = 4;

    [Theory]
    [InlineData("Synthetic", 16, 5, 30, 10)]
    [InlineData("Mova", 128, 17, 10, 4)]
    public async Task Killing_the_silo_running_a_job_resumes_it_elsewhere_from_its_checkpoint_with_identical_output(
        string executor, int size, int frames, int steps, int killAfterStep)
    {
        var cluster = await RuntimeCluster.StartAsync(silos: 2, stepDelayMs: 60, devices: "cpu", redis: redis.ConnectionString, executor: executor);
        try
        {
            var client = cluster.Client;
            var registry = client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey);
            await Wait.UntilAsync(registry.ListAsync, list => list.Count == 2, what: "a worker on each silo");
            var submission = Requests.Tiny("failover", steps: steps, seed: 1234);
            submission = submission with { Request = submission.Request with { Width = size, Height = size, FrameCount = frames } };

            var baselineId = Requests.NewJobId();
            await using (var baselineEvents = await JobEventRecorder.SubscribeAsync(client, baselineId))
            {
                await client.GetGrain<IJobGrain>(baselineId).SubmitAsync(submission);
                await baselineEvents.WaitForAsync<JobCompletedEvent>(seconds: 120);
            }

            var baseline = await client.GetGrain<IJobGrain>(baselineId).GetAsync();

            var jobId = Requests.NewJobId();
            await using var events = await JobEventRecorder.SubscribeAsync(client, jobId);
            var job = client.GetGrain<IJobGrain>(jobId);
            await job.SubmitAsync(submission);
            await events.WaitForAsync<JobStepEvent>(step => step.Step >= killAfterStep, seconds: 60);
            var beforeKill = await job.GetAsync();
            var victimName = beforeKill.WorkerId!.Split('/')[0];
            var victim = cluster.Silos.Single(silo => silo.Name == victimName);
            var clock = Stopwatch.StartNew();
            await cluster.KillSiloAsync(victim);

            var registryNoticed = await Wait.UntilAsync(
                registry.ListAsync, list => list.Count == 1 && list[0].Worker.SiloName != victimName, seconds: 20, what: "the registry to list only the surviving worker");
            var noticedAfter = clock.Elapsed;
            var finished = await Wait.UntilAsync(job.GetAsync, s => s.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled, seconds: 60, what: "the job to finish");
            var recoveredAfter = clock.Elapsed;
            await Task.Delay(1000);
            var settled = await job.GetAsync();
            var statistics = await client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();
            Assert.True(beforeKill.CompletedSteps < steps, $"the job had finished denoising ({beforeKill.CompletedSteps} steps) before the kill");
            output.WriteLine($"{executor}: killed {victimName} at step {beforeKill.CompletedSteps}; registry noticed after {noticedAfter.TotalSeconds:F1} s; job finished {recoveredAfter.TotalSeconds:F1} s after the kill");

            Assert.Equal(JobStatus.Completed, finished.Status);
            Assert.Equal(2, finished.Attempt);
            Assert.NotEqual(victimName, finished.WorkerId!.Split('/')[0]);
            Assert.Equal(baseline.Clip!.Sha256, finished.Clip!.Sha256);
            Assert.Equal(baseline.Clip.SizeBytes, finished.Clip.SizeBytes);
            Assert.Equal(finished.LastEventSequence, settled.LastEventSequence);
            Assert.Equal(JobStatus.Completed, settled.Status);
            Assert.Single(registryNoticed);
            Assert.True(statistics.Requeued >= 1);
            Assert.Equal(0, statistics.Running);

            // What a client that reconnects sees: the live stream merged with the job's buffer by sequence number
            // (memory streams can drop events while their agents move off the dead silo).
            var replay = await job.GetEventsAsync(0);
            var seen = events.Events.Concat(replay).GroupBy(e => e.Sequence).Select(g => g.First()).OrderBy(e => e.Sequence).ToList();
            output.WriteLine($"stream delivered {events.Events.Count} events, the job buffer replayed {replay.Count}, merged {seen.Count}");
            var starts = seen.OfType<JobStartedEvent>().ToList();
            Assert.Equal([1, 2], starts.Select(s => s.Attempt));
            var resumedFrom = starts[1].ResumedFromStep;
            Assert.InRange(resumedFrom, killAfterStep / CheckpointEvery * CheckpointEvery, beforeKill.CompletedSteps + CheckpointEvery);
            Assert.Equal(0, resumedFrom % CheckpointEvery);
            var stepsAfterResume = seen.OfType<JobStepEvent>().SkipWhile(e => e.Sequence < starts[1].Sequence).Select(e => e.Step).ToList();
            Assert.Equal(Enumerable.Range(resumedFrom + 1, steps - resumedFrom), stepsAfterResume);
            Assert.Single(seen.OfType<JobCompletedEvent>());
            Assert.Equal(Enumerable.Range(1, seen.Count).Select(i => (long)i), seen.Select(e => e.Sequence));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
