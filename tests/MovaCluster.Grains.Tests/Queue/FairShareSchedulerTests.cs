using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Queue;

namespace MovaCluster.Grains.Tests.Queue;

public sealed class FairShareSchedulerTests
{
    private long _order;

    [Fact]
    public void Higher_priority_class_goes_first_whatever_the_arrival_order()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        scheduler.Add(Job("batch-1", "a", JobPriority.Batch));
        scheduler.Add(Job("standard-1", "a", JobPriority.Standard));
        scheduler.Add(Job("interactive-1", "b", JobPriority.Interactive));

        Assert.Equal(["interactive-1", "standard-1", "batch-1"], DrainIds(scheduler));
    }

    [Fact]
    public void A_burst_from_one_tenant_does_not_starve_another()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        for (var i = 0; i < 50; i++)
        {
            scheduler.Add(Job($"burst-{i}", "noisy"));
        }

        scheduler.Add(Job("quiet-1", "quiet"));
        scheduler.Add(Job("quiet-2", "quiet"));

        var order = DrainIds(scheduler);

        Assert.True(order.IndexOf("quiet-1") <= 1, $"quiet-1 dispatched at {order.IndexOf("quiet-1")}");
        Assert.True(order.IndexOf("quiet-2") <= 3, $"quiet-2 dispatched at {order.IndexOf("quiet-2")}");
    }

    [Fact]
    public void Weights_set_the_share_of_dispatches_while_both_tenants_wait()
    {
        var scheduler = new FairShareScheduler(tenant => tenant == "gold" ? 2 : 1);
        for (var i = 0; i < 30; i++)
        {
            scheduler.Add(Job($"gold-{i}", "gold"));
            scheduler.Add(Job($"free-{i}", "free"));
        }

        var first30 = DrainIds(scheduler).Take(30).ToList();

        Assert.Equal(20, first30.Count(id => id.StartsWith("gold", StringComparison.Ordinal)));
        Assert.Equal(10, first30.Count(id => id.StartsWith("free", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_idle_tenant_does_not_bank_credit_while_away()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        for (var i = 0; i < 20; i++)
        {
            scheduler.Add(Job($"busy-{i}", "busy"));
        }

        for (var i = 0; i < 10; i++)
        {
            scheduler.TryDequeue(_ => true, _ => true);
        }

        for (var i = 0; i < 6; i++)
        {
            scheduler.Add(Job($"late-{i}", "late"));
        }

        var next6 = DrainIds(scheduler).Take(6).ToList();

        Assert.Equal(3, next6.Count(id => id.StartsWith("late", StringComparison.Ordinal)));
    }

    [Fact]
    public void Jobs_of_one_tenant_keep_arrival_order()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        foreach (var id in new[] { "t-1", "t-2", "t-3" })
        {
            scheduler.Add(Job(id, "t"));
        }

        Assert.Equal(["t-1", "t-2", "t-3"], DrainIds(scheduler));
    }

    [Fact]
    public void Jobs_a_worker_cannot_hold_are_skipped_for_ones_it_can()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        scheduler.Add(Job("huge", "a", volume: 1_000_000));
        scheduler.Add(Job("small", "a", volume: 10));

        var picked = scheduler.TryDequeue(job => job.Ticket.Volume <= 100, _ => true);

        Assert.Equal("small", picked?.Ticket.JobId);
        Assert.True(scheduler.Contains("huge"));
    }

    [Fact]
    public void Tenants_at_their_running_limit_are_passed_over()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        scheduler.Add(Job("full-1", "full"));
        scheduler.Add(Job("free-1", "free"));

        var picked = scheduler.TryDequeue(_ => true, tenant => tenant != "full");

        Assert.Equal("free-1", picked?.Ticket.JobId);
        Assert.Null(scheduler.TryDequeue(_ => true, tenant => tenant != "full"));
    }

    [Fact]
    public void Queue_position_is_the_index_in_the_actual_dispatch_order()
    {
        var scheduler = new FairShareScheduler(tenant => tenant == "gold" ? 3 : 1);
        var random = new Random(7);
        var tenants = new[] { "gold", "free", "trial" };
        var priorities = new[] { JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch };
        for (var i = 0; i < 60; i++)
        {
            scheduler.Add(Job($"job-{i}", tenants[random.Next(3)], priorities[random.Next(3)], steps: 10 + i));
        }

        var predicted = scheduler.Jobs.ToDictionary(job => job.Ticket.JobId, job => scheduler.PositionOf(job.Ticket.JobId)!.Value);
        var actual = DrainIds(scheduler);

        for (var index = 0; index < actual.Count; index++)
        {
            Assert.Equal(index, predicted[actual[index]].Position);
        }

        var steps = actual.Select(id => 10 + int.Parse(id["job-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(steps.Take(30).Sum(), predicted[actual[30]].WorkAhead);
    }

    [Fact]
    public void Removed_jobs_are_gone_and_unknown_ids_have_no_position()
    {
        var scheduler = new FairShareScheduler(_ => 1);
        scheduler.Add(Job("keep", "a"));
        scheduler.Add(Job("drop", "a"));

        Assert.True(scheduler.Remove("drop"));
        Assert.False(scheduler.Remove("drop"));
        Assert.Null(scheduler.PositionOf("drop"));
        Assert.Equal(["keep"], DrainIds(scheduler));
    }

    private QueuedJob Job(string id, string tenant, JobPriority priority = JobPriority.Standard, long volume = 100, int steps = 10) => new()
    {
        Ticket = new JobTicket
        {
            JobId = id, TenantId = tenant, Priority = priority, Model = "", Volume = volume, Steps = steps, EnqueuedAt = DateTimeOffset.UnixEpoch,
        },
        Order = _order++,
    };

    private static List<string> DrainIds(FairShareScheduler scheduler)
    {
        var ids = new List<string>();
        while (scheduler.TryDequeue(_ => true, _ => true) is { } job)
        {
            ids.Add(job.Ticket.JobId);
        }

        return ids;
    }
}
