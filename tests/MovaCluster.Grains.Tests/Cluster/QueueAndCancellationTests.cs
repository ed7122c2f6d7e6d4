using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class QueueAndCancellationTests(SingleWorkerClusterFixture fixture) : IClassFixture<SingleWorkerClusterFixture>
{
    private IClusterClient Client => fixture.Cluster.Client;

    private IJobQueueGrain Queue => Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_at_the_next_step_and_the_worker_takes_the_next_job()
    {
        var (longId, nextId) = (Requests.NewJobId(), Requests.NewJobId());
        await using var longEvents = await JobEventRecorder.SubscribeAsync(Client, longId);
        await using var nextEvents = await JobEventRecorder.SubscribeAsync(Client, nextId);
        await Client.GetGrain<IJobGrain>(longId).SubmitAsync(Requests.Tiny("cancel-running", steps: 200));
        await Client.GetGrain<IJobGrain>(nextId).SubmitAsync(Requests.Tiny("cancel-running", steps: 3));
        await longEvents.WaitForAsync<JobStepEvent>(s => s.Step >= 3);

        var atCancel = await Client.GetGrain<IJobGrain>(longId).CancelAsync();
        var cancelled = await longEvents.WaitForAsync<JobCancelledEvent>(seconds: 5);
        await nextEvents.WaitForAsync<JobCompletedEvent>();
        var longJob = await Client.GetGrain<IJobGrain>(longId).GetAsync();
        var nextJob = await Client.GetGrain<IJobGrain>(nextId).GetAsync();

        Assert.True(atCancel.CancelRequested);
        Assert.Equal(JobStatus.Cancelled, longJob.Status);
        Assert.InRange(cancelled.CompletedSteps, 3, atCancel.CompletedSteps + 5);
        Assert.True(longEvents.Events.OfType<JobStepEvent>().Max(s => s.Step) <= cancelled.CompletedSteps);
        Assert.Equal(JobStatus.Completed, nextJob.Status);
        Assert.Equal(longJob.WorkerId, nextJob.WorkerId);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_takes_it_out_of_the_queue_at_once()
    {
        var blocker = Requests.NewJobId();
        var queued = Requests.NewJobId();
        await using var blockerEvents = await JobEventRecorder.SubscribeAsync(Client, blocker);
        await Client.GetGrain<IJobGrain>(blocker).SubmitAsync(Requests.Tiny("blocker", steps: 200));
        await blockerEvents.WaitForAsync<JobStartedEvent>();
        await using var queuedEvents = await JobEventRecorder.SubscribeAsync(Client, queued);
        await Client.GetGrain<IJobGrain>(queued).SubmitAsync(Requests.Tiny("cancel-queued"));

        var snapshot = await Client.GetGrain<IJobGrain>(queued).CancelAsync();
        var statistics = await Queue.GetStatisticsAsync();
        await queuedEvents.WaitForAsync<JobCancelledEvent>();
        await Client.GetGrain<IJobGrain>(blocker).CancelAsync();
        await blockerEvents.WaitForAsync<JobCancelledEvent>();

        Assert.Equal(JobStatus.Cancelled, snapshot.Status);
        Assert.Null(await Queue.GetPositionAsync(queued));
        Assert.DoesNotContain(statistics.Tenants, t => t.TenantId == "cancel-queued" && t.Queued > 0);
        Assert.IsType<JobCancelledEvent>(queuedEvents.Events[^1]);
        Assert.DoesNotContain(queuedEvents.Events, e => e is JobStartedEvent);
    }

    [Fact]
    public async Task Over_the_tenant_queue_limit_a_submission_is_rejected_with_the_reason_while_others_get_in()
    {
        var blocker = Requests.NewJobId();
        await using var blockerEvents = await JobEventRecorder.SubscribeAsync(Client, blocker);
        await Client.GetGrain<IJobGrain>(blocker).SubmitAsync(Requests.Tiny("limit-blocker", steps: 200));
        await blockerEvents.WaitForAsync<JobStartedEvent>();
        var ids = Enumerable.Range(0, 5).Select(_ => Requests.NewJobId()).ToList();

        var results = new List<SubmitResult>();
        foreach (var id in ids.Take(4))
        {
            results.Add(await Client.GetGrain<IJobGrain>(id).SubmitAsync(Requests.Tiny("limited")));
        }

        var positions = new List<JobSnapshot>();
        foreach (var id in ids.Take(3))
        {
            positions.Add(await Client.GetGrain<IJobGrain>(id).GetAsync());
        }

        var otherTenant = await Client.GetGrain<IJobGrain>(ids[4]).SubmitAsync(Requests.Tiny("unlimited"));
        var rejectedJob = await Client.GetGrain<IJobGrain>(ids[3]).GetAsync();
        var fairPlace = await Client.GetGrain<IJobGrain>(ids[2]).GetAsync();

        foreach (var id in ids.Prepend(blocker))
        {
            await Client.GetGrain<IJobGrain>(id).CancelAsync();
        }

        await blockerEvents.WaitForAsync<JobCancelledEvent>();

        Assert.All(results.Take(3), r => Assert.True(r.Accepted));
        Assert.False(results[3].Accepted);
        Assert.Equal(RejectionReason.TenantQueuedLimit, results[3].Reason);
        Assert.Contains("'limited' already has 3 jobs waiting", results[3].Message, StringComparison.Ordinal);
        Assert.True(otherTenant.Accepted);
        Assert.Equal(JobStatus.Unknown, rejectedJob.Status);
        Assert.Equal([0, 1, 2], positions.Select(p => p.QueuePosition ?? -1));
        Assert.True(positions[0].EstimatedRemaining < positions[1].EstimatedRemaining);
        Assert.True(positions[1].EstimatedRemaining < positions[2].EstimatedRemaining);
        Assert.Equal(1, otherTenant.Job!.QueuePosition);
        Assert.Equal(3, fairPlace.QueuePosition);
    }

    [Fact]
    public async Task An_interactive_job_overtakes_batch_work_that_was_queued_first()
    {
        var blocker = Requests.NewJobId();
        var (batch, interactive) = (Requests.NewJobId(), Requests.NewJobId());
        await using var blockerEvents = await JobEventRecorder.SubscribeAsync(Client, blocker);
        await using var batchEvents = await JobEventRecorder.SubscribeAsync(Client, batch);
        await using var interactiveEvents = await JobEventRecorder.SubscribeAsync(Client, interactive);
        await Client.GetGrain<IJobGrain>(blocker).SubmitAsync(Requests.Tiny("prio-blocker", steps: 200));
        await blockerEvents.WaitForAsync<JobStartedEvent>();

        await Client.GetGrain<IJobGrain>(batch).SubmitAsync(Requests.Tiny("prio-a", priority: JobPriority.Batch));
        var placed = await Client.GetGrain<IJobGrain>(interactive).SubmitAsync(Requests.Tiny("prio-b", priority: JobPriority.Interactive));
        await Client.GetGrain<IJobGrain>(blocker).CancelAsync();
        var interactiveStart = await interactiveEvents.WaitForAsync<JobStartedEvent>();
        var batchStart = await batchEvents.WaitForAsync<JobStartedEvent>();

        Assert.Equal(0, placed.Job!.QueuePosition);
        Assert.True(interactiveStart.Timestamp < batchStart.Timestamp);
        await batchEvents.WaitForAsync<JobCompletedEvent>();
    }
}
