using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class JobLifecycleTests(TwoSiloClusterFixture fixture) : IClassFixture<TwoSiloClusterFixture>
{
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_job_runs_to_completion_and_streams_numbered_events_in_order()
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(Client, id);
        var job = Client.GetGrain<IJobGrain>(id);

        var submitted = await job.SubmitAsync(Requests.Tiny("lifecycle", steps: 6));
        await recorder.WaitForAsync<JobCompletedEvent>();
        var events = recorder.Events;
        var snapshot = await job.GetAsync();

        Assert.True(submitted.Accepted);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(id, e.JobId));
        Assert.IsType<JobQueuedEvent>(events[0]);
        Assert.IsType<JobStartedEvent>(events[1]);

        // Everything after the job's first event came over the stream, in order (the first is caught up).
        Assert.Equal(events.Skip(1).Select(e => e.Sequence), recorder.Delivered.Select(e => e.Sequence));
        Assert.Equal(
            [JobPhase.Encoding, JobPhase.DenoisingHighNoise, JobPhase.DenoisingLowNoise, JobPhase.Decoding, JobPhase.Muxing, JobPhase.Uploading],
            events.OfType<JobPhaseEvent>().Select(e => e.Phase));
        var steps = events.OfType<JobStepEvent>().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal(6, s.TotalSteps));
        Assert.Equal(JobPhase.DenoisingHighNoise, steps[0].Phase);
        Assert.Equal(JobPhase.DenoisingLowNoise, steps[^1].Phase);
        Assert.True(steps[0].MillisecondsPerStep >= 9, $"step 1 took {steps[0].MillisecondsPerStep} ms with a 10 ms device");
        Assert.Equal(TimeSpan.Zero, steps[^1].EstimatedRemaining);
        var firstPreview = events.OfType<JobPreviewEvent>().First();
        Assert.Equal(1, firstPreview.Step);
        Assert.Equal("image/jpeg", firstPreview.ImageContentType);
        Assert.Equal([0xFF, 0xD8], firstPreview.Image[..2]);
        Assert.NotNull(firstPreview.AudioEnvelope);
        Assert.NotEmpty(firstPreview.AudioEnvelope);
        Assert.IsType<JobCompletedEvent>(events[^1]);

        Assert.Equal(JobStatus.Completed, snapshot.Status);
        Assert.Equal(1, snapshot.Attempt);
        Assert.Equal(42, snapshot.Seed);
        Assert.Equal(6, snapshot.CompletedSteps);
        Assert.Equal(SyntheticGenerationExecutor.ModelName, snapshot.ModelName);
        Assert.Equal("video/mp4", snapshot.Clip!.ContentType);
        Assert.Equal($"tenants/lifecycle/clips/{id}/video.mp4", snapshot.Clip.Key);
        Assert.Equal(events.Count, snapshot.LastEventSequence);
        Assert.NotNull(snapshot.StartedAt);
        Assert.True(snapshot.FinishedAt >= snapshot.StartedAt);
    }

    [Fact]
    public async Task Snapshots_leave_the_reference_image_out_and_only_a_start_grant_carries_it()
    {
        var id = Requests.NewJobId();
        var job = Client.GetGrain<IJobGrain>(id);
        var reference = new byte[3 << 20];
        new Random(5).NextBytes(reference);
        var waiting = Requests.Tiny("image") with
        {
            Request = Requests.Tiny("image").Request with { Model = "no-worker-holds-this", ReferenceImage = reference },
        };

        var submitted = await job.SubmitAsync(waiting);
        var queued = await job.GetAsync();
        Assert.True(await Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).RemoveAsync(id));
        var grant = await job.StartAsync("phantom/cpu", attempt: 1, modelName: "phantom");
        var running = await job.GetAsync();
        await job.FailAsync(1, "phantom worker");
        var again = await job.StartAsync("phantom/cpu", attempt: 2, modelName: "phantom");

        Assert.Null(submitted.Job!.Request!.ReferenceImage);
        Assert.Null(queued.Request!.ReferenceImage);
        Assert.Null(running.Request!.ReferenceImage);
        Assert.Equal("a red fox in snow", queued.Request.Prompt);
        Assert.True(grant.Granted);
        Assert.Equal(reference, grant.Request!.ReferenceImage);
        Assert.False(again.Granted);
    }

    [Fact]
    public async Task A_reconnecting_client_gets_the_events_after_its_last_sequence_number()
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(Client, id);
        var job = Client.GetGrain<IJobGrain>(id);
        await job.SubmitAsync(Requests.Tiny("reconnect"));
        await recorder.WaitForAsync<JobCompletedEvent>();

        var all = await job.GetEventsAsync(0);
        var tail = await job.GetEventsAsync(5);

        Assert.Equal(recorder.Events.Select(e => e.Sequence), all.Select(e => e.Sequence));
        Assert.Equal(all.Skip(5).Select(e => e.Sequence), tail.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Submitting_the_same_id_again_returns_the_existing_job_and_it_runs_once()
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(Client, id);
        var job = Client.GetGrain<IJobGrain>(id);

        var first = await job.SubmitAsync(Requests.Tiny("idempotent"));
        var again = await job.SubmitAsync(Requests.Tiny("someone-else", seed: 7) with { Request = new GenerationRequest { Prompt = "other", Width = 8, Height = 8, FrameCount = 1, Steps = 2 } });
        await recorder.WaitForAsync<JobCompletedEvent>();
        var repeatAfterCompletion = await job.SubmitAsync(Requests.Tiny("idempotent"));
        await Task.Delay(300);

        Assert.True(first.Accepted && again.Accepted && repeatAfterCompletion.Accepted);
        Assert.Equal("idempotent", again.Job!.TenantId);
        Assert.Equal(42, again.Job.Seed);
        Assert.Equal(JobStatus.Completed, repeatAfterCompletion.Job!.Status);
        Assert.Single(recorder.Events.OfType<JobStartedEvent>());
        Assert.Single(recorder.Events.OfType<JobCompletedEvent>());
        Assert.Single(recorder.Events.OfType<JobQueuedEvent>());
    }

    [Fact]
    public async Task A_finished_job_refuses_every_later_start_and_ignores_stale_reports()
    {
        var id = Requests.NewJobId();
        await using var recorder = await JobEventRecorder.SubscribeAsync(Client, id);
        var job = Client.GetGrain<IJobGrain>(id);
        await job.SubmitAsync(Requests.Tiny("finished"));
        await recorder.WaitForAsync<JobCompletedEvent>();
        var before = await job.GetAsync();

        var grant = await job.StartAsync("someone/cpu", attempt: 99, modelName: "x");
        await job.FailAsync(before.Attempt, "late failure");
        var keepGoing = await job.ReportAsync(before.Attempt, [new JobStepEvent { Step = 1, TotalSteps = 6 }]);
        var after = await job.GetAsync();

        Assert.False(grant.Granted);
        Assert.False(keepGoing);
        Assert.Equal(JobStatus.Completed, after.Status);
        Assert.Null(after.Error);
        Assert.Equal(before.LastEventSequence, after.LastEventSequence);
    }

    [Fact]
    public async Task Invalid_requests_are_rejected_with_every_problem_named_and_leave_no_job()
    {
        var job = Client.GetGrain<IJobGrain>(Requests.NewJobId());
        var bad = new JobSubmission { TenantId = "t", Request = new GenerationRequest { Prompt = " ", Width = 0, Height = 8, FrameCount = 1, Steps = 0 } };

        var result = await job.SubmitAsync(bad);
        var snapshot = await job.GetAsync();

        Assert.False(result.Accepted);
        Assert.Equal(RejectionReason.InvalidRequest, result.Reason);
        Assert.Contains("prompt is empty", result.Message, StringComparison.Ordinal);
        Assert.Contains("steps must be between 1 and", result.Message, StringComparison.Ordinal);
        Assert.Contains("must be positive", result.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Unknown, snapshot.Status);
    }
}
