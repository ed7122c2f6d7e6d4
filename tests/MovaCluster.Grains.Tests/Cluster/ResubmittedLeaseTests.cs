using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>
/// A create whose silo died after queueing its ticket but before writing the job is retried while a worker already
/// holds that ticket; the worker's start is refused (the job did not exist yet) and its release must not drop the only
/// ticket the retried job has.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ResubmittedLeaseTests(SingleWorkerClusterFixture fixture) : IClassFixture<SingleWorkerClusterFixture>
{
    private static readonly WorkerDescriptor Elsewhere = new()
    {
        WorkerId = "elsewhere/cpu", SiloName = "elsewhere", SiloAddress = "elsewhere", Device = "cpu", ModelName = "model-nobody-has", MaxVolume = long.MaxValue,
    };

    private IJobQueueGrain Queue => fixture.Cluster.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);

    [Fact]
    public async Task A_job_submitted_again_while_its_ticket_is_leased_goes_back_in_line_when_that_lease_is_released()
    {
        var ticket = Ticket();
        Assert.True((await Queue.EnqueueAsync(ticket)).Accepted);
        var first = await Queue.RequestWorkAsync(Elsewhere);
        Assert.Equal(ticket.JobId, first?.JobId);

        Assert.True((await Queue.EnqueueAsync(ticket with { EnqueuedAt = DateTimeOffset.UtcNow })).Accepted);
        await Queue.FinishedAsync(ticket.JobId, first!.Attempt, null);

        var entry = Assert.Single(await Queue.ListJobsAsync(), e => e.Ticket.JobId == ticket.JobId);
        Assert.False(entry.Running);
        var second = await Queue.RequestWorkAsync(Elsewhere);
        Assert.Equal(ticket.JobId, second?.JobId);
        Assert.Equal(first.Attempt + 1, second!.Attempt);

        // Released without another submission, the lease ends the job's time on the queue.
        await Queue.FinishedAsync(ticket.JobId, second.Attempt, null);
        Assert.DoesNotContain(await Queue.ListJobsAsync(), e => e.Ticket.JobId == ticket.JobId);
    }

    [Fact]
    public async Task A_released_lease_of_a_job_nobody_submitted_again_leaves_the_queue()
    {
        var ticket = Ticket();
        Assert.True((await Queue.EnqueueAsync(ticket)).Accepted);
        var lease = await Queue.RequestWorkAsync(Elsewhere);
        Assert.Equal(ticket.JobId, lease?.JobId);

        await Queue.FinishedAsync(ticket.JobId, lease!.Attempt, null);

        Assert.DoesNotContain(await Queue.ListJobsAsync(), e => e.Ticket.JobId == ticket.JobId);
        Assert.Null(await Queue.RequestWorkAsync(Elsewhere));
    }

    private static JobTicket Ticket() => new()
    {
        JobId = Requests.NewJobId(), TenantId = "resubmitted", Model = "model-nobody-has", Volume = 256, Steps = 10, EnqueuedAt = DateTimeOffset.UtcNow,
    };
}
