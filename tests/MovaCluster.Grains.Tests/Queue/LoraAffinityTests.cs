using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;
using MovaCluster.Grains.Queue;

namespace MovaCluster.Grains.Tests.Queue;

public sealed class LoraAffinityTests
{
    private const int MaxSkips = 3;

    private long _order;

    [Fact]
    public void The_candidates_are_the_dispatch_order_and_the_first_is_what_a_plain_dispatch_takes()
    {
        var scheduler = Scheduler(Job("a1", "a"), Job("a2", "a"), Job("b1", "b"), Job("i1", "c", JobPriority.Interactive), Job("b2", "b"));
        var candidates = scheduler.Candidates(_ => true, _ => true, limit: 10).Select(job => job.Ticket.JobId).ToList();

        var drained = new List<string>();
        while (scheduler.TryDequeue(_ => true, _ => true) is { } job)
        {
            drained.Add(job.Ticket.JobId);
        }

        Assert.Equal(drained, candidates);
        Assert.Equal(["i1", "a1", "b1", "a2", "b2"], candidates);
    }

    [Fact]
    public void A_worker_takes_a_job_whose_adapter_it_holds_over_an_earlier_one_it_would_have_to_load()
    {
        var scheduler = Scheduler(Job("b1", "t1", "lora-b"), Job("a1", "t2", "lora-a"));
        var holderOfA = Worker("w1", "lora-a");

        var choice = Choose(scheduler, holderOfA, []);

        Assert.Equal("a1", choice.Job!.Ticket.JobId);
        Assert.Equal(1, scheduler.Jobs.Single(job => job.Ticket.JobId == "b1").AffinitySkips);
    }

    [Fact]
    public void Among_jobs_whose_adapters_it_holds_a_worker_takes_one_with_the_set_it_ran_last()
    {
        var scheduler = Scheduler(Job("y1", "t1", "lora-y"), Job("x1", "t2", "lora-x"));
        var ranXLast = Worker("w1", "lora-x", "lora-y");

        Assert.Equal("x1", Choose(scheduler, ranXLast, []).Job!.Ticket.JobId);
        Assert.True(LoraAffinity.IsHot(Job("xy", "a", "lora-y", "lora-x").Ticket, Worker("w", "lora-x", "lora-y", "lora-z")));
        Assert.False(LoraAffinity.IsHot(Job("y", "a", "lora-y").Ticket, ranXLast));
    }

    [Fact]
    public void A_worker_without_a_warm_job_takes_the_next_job_rather_than_idle_unless_a_free_holder_will_take_it()
    {
        var scheduler = Scheduler(Job("a1", "a", "lora-a"), Job("b1", "b", "lora-b"));
        var cold = Worker("w1", "lora-z");

        Assert.Equal("a1", Choose(scheduler, cold, []).Job!.Ticket.JobId);

        // With a free worker that holds lora-a, a1 is left to it (and that worker is woken); this one takes b1.
        scheduler = Scheduler(Job("a1", "a", "lora-a"), Job("b1", "b", "lora-b"));
        var choice = Choose(scheduler, cold, [Worker("w2", "lora-a")]);
        Assert.Equal("b1", choice.Job!.Ticket.JobId);
        Assert.Equal(["w2"], choice.WakeHolders);
    }

    [Fact]
    public void When_every_candidate_is_claimed_by_a_free_holder_the_worker_takes_nothing_and_the_holders_are_woken()
    {
        var scheduler = Scheduler(Job("a1", "a", "lora-a"));

        var choice = Choose(scheduler, Worker("w1"), [Worker("w2", "lora-a")]);

        Assert.Null(choice.Job);
        Assert.Equal(["w2"], choice.WakeHolders);
    }

    [Fact]
    public void A_job_passed_over_the_maximum_number_of_times_is_taken_by_the_next_worker_whatever_it_holds()
    {
        var scheduler = Scheduler(Job("old", "a", "lora-a"));
        var holderOfB = Worker("w1", "lora-b");
        var taken = new List<string>();
        for (var i = 0; i < MaxSkips + 2; i++)
        {
            // A stream of warm jobs for this worker keeps arriving behind the old one.
            scheduler.Add(Job($"b{i}", "b", "lora-b"));
            var choice = Choose(scheduler, holderOfB, []);
            taken.Add(choice.Job!.Ticket.JobId);
        }

        Assert.Equal(MaxSkips, taken.IndexOf("old"));
        Assert.Equal(["b0", "b1", "b2", "old", "b3"], taken);
    }

    [Fact]
    public void Jobs_without_adapters_are_never_warm_and_a_set_is_warm_only_when_every_adapter_is_held()
    {
        Assert.False(LoraAffinity.IsWarm(Job("plain", "a").Ticket, Worker("w", "x")));
        Assert.True(LoraAffinity.IsWarm(Job("two", "a", "x", "y").Ticket, Worker("w", "y", "x")));
        Assert.False(LoraAffinity.IsWarm(Job("two", "a", "x", "y").Ticket, Worker("w", "x")));
    }

    private static LoraAffinityChoice Choose(FairShareScheduler scheduler, WorkerDescriptor worker, IReadOnlyList<WorkerDescriptor> freeHolders)
    {
        var candidates = scheduler.Candidates(_ => true, _ => true, limit: 16);
        var choice = LoraAffinity.Choose(candidates, worker, freeHolders, (_, _) => true, MaxSkips);
        if (choice.Job is { } job)
        {
            scheduler.Take(job);
        }

        return choice;
    }

    private static FairShareScheduler Scheduler(params QueuedJob[] jobs)
    {
        var scheduler = new FairShareScheduler(_ => 1);
        foreach (var job in jobs)
        {
            scheduler.Add(job);
        }

        return scheduler;
    }

    private static WorkerDescriptor Worker(string id, params string[] held) => new()
    {
        WorkerId = id, SiloName = "silo", SiloAddress = "127.0.0.1:1", Device = "cpu", ModelName = "m", HeldLoras = held,
    };

    private QueuedJob Job(string id, string tenant, params string[] loras) => Job(id, tenant, JobPriority.Standard, loras);

    private QueuedJob Job(string id, string tenant, JobPriority priority, params string[] loras) => new()
    {
        Ticket = new JobTicket
        {
            JobId = id, TenantId = tenant, Priority = priority, Model = "", Volume = 100, Steps = 10, EnqueuedAt = DateTimeOffset.UnixEpoch, LoraDigests = loras,
        },
        Order = _order++,
    };
}
