using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MovaCluster.Silo.Tests.Failover;

/// <summary>
/// Silo processes (three; two for the MOVA case, whose processes each load the model) on real Redis (membership, grain state, checkpoints) sharing a local-disk clip store. The
/// process running a job is SIGKILLed in the middle of denoising: the job must complete exactly once, on another
/// silo, resumed from its last checkpoint, with the same MP4 bytes as a run that was never interrupted. Run with the
/// simulated device (a long job, killed deep into denoising) and with the tiny random-weights MOVA (the real
/// pipeline, resumed from its latents).
/// </summary>
public sealed class ProcessKillFailoverTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int CheckpointEvery = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string> Settings = new()
    {
        // A 100 ms simulated step lands the kill mid-denoising on any machine; SiloFailoverTests runs the same
        // scenario with the tiny MOVA in process.
        ["Mova__Execution__Executor"] = "Synthetic",
        ["Mova__Execution__Synthetic__StepDelay"] = "00:00:00.100",
        ["Mova__Execution__Mova__MaxPromptTokens"] = "32",
        ["Mova__Execution__Synthetic__MaxVolume"] = "16384",
        ["Mova__Worker__CheckpointEverySteps"] = CheckpointEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mova__Worker__HeartbeatInterval"] = "00:00:00.500",
        ["Mova__Queue__LeaseTimeout"] = "00:00:15",
        ["Mova__Queue__LeaseCheckInterval"] = "00:00:01",
        ["Mova__Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["Mova__Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["Mova__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        ["Mova__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Mova__Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
    };

    [Theory]
    [InlineData("Synthetic", 3, 16, 5, 30, 10)]
    [InlineData("Mova", 2, 128, 17, 10, 4)]
    public async Task Sigkilling_the_silo_process_running_a_job_resumes_it_on_another_silo_with_identical_output(
        string executor, int silos, int size, int frames, int steps, int killAfterStep)
    {
        var settings = new Dictionary<string, string>(Settings) { ["Mova__Execution__Executor"] = executor };
        await using var cluster = await SiloProcessCluster.StartAsync(redis.ConnectionString, silos, settings, Patience);
        try
        {
            var request = new GenerationRequest { Prompt = "a red fox in snow", Width = size, Height = size, FrameCount = frames, Steps = steps, Seed = 4321 };
            await RunAsync(cluster, request, killAfterStep);
        }
        catch (Exception failure) when (failure is not TimeoutException)
        {
            throw new XunitException($"{failure.Message}{cluster.Logs()}", failure);
        }
    }

    private async Task RunAsync(SiloProcessCluster cluster, GenerationRequest request, int killAfterStep)
    {
        var client = cluster.Client;
        var submission = new JobSubmission { TenantId = "process-failover", Request = request };

        var baselineId = "job-" + Guid.NewGuid().ToString("N")[..12];
        await client.GetGrain<IJobGrain>(baselineId).SubmitAsync(submission);
        var baseline = await cluster.UntilAsync(client.GetGrain<IJobGrain>(baselineId).GetAsync, IsFinished, Patience, "the uninterrupted job to finish");
        Assert.True(baseline.Status == JobStatus.Completed, $"The uninterrupted job ended {baseline.Status}: {baseline.Error}");

        var jobId = "job-" + Guid.NewGuid().ToString("N")[..12];
        var job = client.GetGrain<IJobGrain>(jobId);
        await job.SubmitAsync(submission);
        var beforeKill = await cluster.UntilAsync(
            job.GetAsync, s => s.Status == JobStatus.Running && s.CompletedSteps >= killAfterStep, Patience, $"the job to pass step {killAfterStep}");
        var workers = await client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync();
        var victim = cluster.ProcessOf(workers.Single(w => w.Worker.WorkerId == beforeKill.WorkerId).Worker.SiloAddress);
        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        Assert.Equal(137, victim.ExitCode);
        Assert.True(beforeKill.CompletedSteps < request.Steps, $"The job had finished denoising ({beforeKill.CompletedSteps} steps) before the kill.");

        var finished = await cluster.UntilAsync(job.GetAsync, IsFinished, Patience, "the job to finish after the kill");
        var recoveredAfter = clock.Elapsed;
        await Task.Delay(1000);
        var settled = await job.GetAsync();
        var statistics = await client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();
        var events = await job.GetEventsAsync(0);
        var survivors = await client.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.DefaultKey).ListAsync();
        output.WriteLine($"{request.Width}x{request.Height}x{request.FrameCount}, {request.Steps} steps: killed {victim.Name} (worker {beforeKill.WorkerId}) at step {beforeKill.CompletedSteps}; the job finished {recoveredAfter.TotalSeconds:F1} s later on {finished.WorkerId}");

        Assert.True(finished.Status == JobStatus.Completed, $"The job ended {finished.Status}: {finished.Error}");
        Assert.Equal(2, finished.Attempt);
        var resumedOn = survivors.Single(w => w.Worker.WorkerId == finished.WorkerId).Worker.SiloAddress;
        Assert.NotSame(victim, cluster.ProcessOf(resumedOn));
        Assert.Equal(baseline.Clip!.Sha256, finished.Clip!.Sha256);
        Assert.Equal(baseline.Clip.SizeBytes, finished.Clip.SizeBytes);
        Assert.Equal(JobStatus.Completed, settled.Status);
        Assert.Equal(finished.LastEventSequence, settled.LastEventSequence);
        Assert.True(statistics.Requeued >= 1, $"The queue requeued {statistics.Requeued} jobs.");
        Assert.Equal(0, statistics.Running);

        // Exactly once: one completion among every silo's logs (the killed one included), by the second attempt.
        var completions = cluster.Silos.SelectMany(silo => silo.LinesContaining($"Job {jobId} completed by attempt")).ToList();
        Assert.Equal([$"Job {jobId} completed by attempt 2"], completions.Select(line => line[line.IndexOf("Job ", StringComparison.Ordinal)..].Split(':')[0]));
        Assert.Single(events.OfType<JobCompletedEvent>());

        // Resumed from the last checkpoint taken before the kill, then every remaining step once, in order.
        var resumed = events.OfType<JobStartedEvent>().Single(e => e.Attempt == 2);
        Assert.InRange(resumed.ResumedFromStep, killAfterStep / CheckpointEvery * CheckpointEvery, beforeKill.CompletedSteps + CheckpointEvery);
        Assert.Equal(0, resumed.ResumedFromStep % CheckpointEvery);
        var stepsAfterResume = events.OfType<JobStepEvent>().Where(e => e.Sequence > resumed.Sequence).Select(e => e.Step).ToList();
        Assert.Equal(Enumerable.Range(resumed.ResumedFromStep + 1, request.Steps - resumed.ResumedFromStep), stepsAfterResume);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
    }

    private static bool IsFinished(JobSnapshot job) => job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
