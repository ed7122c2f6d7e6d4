using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Tests.Infrastructure;
using MovaCluster.Testing;

namespace MovaCluster.Grains.Tests.Cluster;

/// <summary>The queue and the jobs in it live in Redis: a cluster that stops and starts again still has them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueDurabilityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    /// <summary>A worker outside the test cluster, so what it leases stays leased until the test says otherwise.</summary>
    private static readonly WorkerDescriptor Elsewhere = new()
    {
        WorkerId = "elsewhere/cpu", SiloName = "elsewhere", SiloAddress = "elsewhere", Device = "cpu", ModelName = "model-nobody-has", MaxVolume = long.MaxValue,
    };

    [Fact]
    public async Task Queued_jobs_keep_their_state_and_order_across_a_full_cluster_restart()
    {
        var serviceId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 3).Select(_ => Requests.NewJobId()).ToList();
        // A model no worker holds keeps the jobs waiting.
        var submission = Requests.Tiny("durable") with
        {
            Request = Requests.Tiny("durable").Request with { Model = "model-nobody-has" },
        };

        var first = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, serviceId: serviceId);
        try
        {
            foreach (var id in ids)
            {
                Assert.True((await first.Client.GetGrain<IJobGrain>(id).SubmitAsync(submission)).Accepted);
            }
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, serviceId: serviceId);
        try
        {
            var statistics = await second.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync();
            var snapshots = new List<JobSnapshot>();
            foreach (var id in ids)
            {
                snapshots.Add(await second.Client.GetGrain<IJobGrain>(id).GetAsync());
            }

            Assert.Equal(3, statistics.Queued);
            Assert.All(snapshots, s => Assert.Equal(JobStatus.Queued, s.Status));
            Assert.Equal([0, 1, 2], snapshots.Select(s => s.QueuePosition ?? -1));
            Assert.All(snapshots, s => Assert.Equal("model-nobody-has", s.Request!.Model));
            Assert.All(snapshots, s => Assert.True(s.LastEventSequence >= 1));

            foreach (var id in ids)
            {
                Assert.Equal(JobStatus.Cancelled, (await second.Client.GetGrain<IJobGrain>(id).CancelAsync()).Status);
            }

            Assert.Equal(0, (await second.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey).GetStatisticsAsync()).Queued);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_busy_queue_restores_exactly_from_its_snapshot_and_journal_after_a_restart()
    {
        var serviceId = "journal-" + Guid.NewGuid().ToString("N")[..8];
        IReadOnlyList<QueueEntry> before = [];
        QueueStatistics? statisticsBefore = null;
        await OnQueueAsync(serviceId, async queue =>
        {
            // Enough changes that the journal is folded into a new snapshot several times (every 16 KiB at first).
            var priorities = new[] { JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch };
            await Task.WhenAll(Enumerable.Range(0, 600).Select(i => queue.EnqueueAsync(new JobTicket
            {
                JobId = $"journal-{i}", TenantId = $"tenant-{i % 300}", Priority = priorities[i % 3], Model = "model-nobody-has",
                Volume = 256, Steps = 10 + (i % 7), EnqueuedAt = DateTimeOffset.UtcNow,
            })));
            var dispatched = new List<WorkAssignment>();
            for (var i = 0; i < 60; i++)
            {
                dispatched.Add((await queue.RequestWorkAsync(Elsewhere with { WorkerId = $"elsewhere/cpu:{i}" }))!);
            }

            foreach (var done in dispatched.Take(25))
            {
                await queue.FinishedAsync(done.JobId, done.Attempt, 120);
            }

            var waiting = (await queue.ListJobsAsync()).Where(entry => !entry.Running).Select(entry => entry.Ticket.JobId).ToList();
            foreach (var id in waiting.Take(10))
            {
                Assert.True(await queue.ReprioritizeAsync(id, JobPriority.Interactive));
            }

            foreach (var id in waiting.Skip(100).Take(10))
            {
                Assert.True(await queue.RemoveAsync(id));
            }

            before = await queue.ListJobsAsync();
            statisticsBefore = await queue.GetStatisticsAsync();
        });

        await OnQueueAsync(serviceId, async queue =>
        {
            var after = await queue.ListJobsAsync();
            var statisticsAfter = await queue.GetStatisticsAsync();

            Assert.Equal(600 - 25 - 10, before.Count);
            Assert.Equal(Describe(before), Describe(after));
            Assert.Equal(statisticsBefore!.Queued, statisticsAfter.Queued);
            Assert.Equal(35, statisticsAfter.Running);
            Assert.Equal(statisticsBefore.MillisecondsPerStep, statisticsAfter.MillisecondsPerStep);
            Assert.Equal(statisticsBefore.Tenants, statisticsAfter.Tenants);
        });
    }

    /// <summary>
    /// A job submitted again while its ticket is leased goes back in line when that lease is released, even if the
    /// queue restarted in between (its silo died): the mark is stored with the lease.
    /// </summary>
    [Fact]
    public async Task A_leased_job_submitted_again_still_goes_back_in_line_after_a_queue_restart()
    {
        var serviceId = "resubmit-" + Guid.NewGuid().ToString("N")[..8];
        var ticket = new JobTicket
        {
            JobId = Requests.NewJobId(), TenantId = "resubmitted", Model = "model-nobody-has", Volume = 256, Steps = 10, EnqueuedAt = DateTimeOffset.UtcNow,
        };
        WorkAssignment? lease = null;
        await OnQueueAsync(serviceId, async queue =>
        {
            Assert.True((await queue.EnqueueAsync(ticket)).Accepted);
            lease = await queue.RequestWorkAsync(Elsewhere);
            Assert.Equal(ticket.JobId, lease?.JobId);
            Assert.True((await queue.EnqueueAsync(ticket with { EnqueuedAt = DateTimeOffset.UtcNow })).Accepted);
        });

        await OnQueueAsync(serviceId, async queue =>
        {
            await queue.FinishedAsync(ticket.JobId, lease!.Attempt, null);

            var entry = Assert.Single(await queue.ListJobsAsync(), e => e.Ticket.JobId == ticket.JobId);
            Assert.False(entry.Running);
        });
    }

    /// <summary>Starts a one-silo cluster of <paramref name="serviceId"/> on the shared Redis, uses its queue, and stops it.</summary>
    private async Task OnQueueAsync(string serviceId, Func<IJobQueueGrain, Task> use)
    {
        var cluster = await RuntimeCluster.StartAsync(silos: 1, stepDelayMs: 0, devices: "cpu", redis: redis.ConnectionString, serviceId: serviceId);
        try
        {
            await use(cluster.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static List<string> Describe(IEnumerable<QueueEntry> entries) =>
        entries.Select(e => $"{e.Ticket.JobId} {e.Ticket.Priority} {e.Ticket.TenantId} running={e.Running} worker={e.WorkerId} attempt={e.Attempt} position={e.Position}").ToList();
}
