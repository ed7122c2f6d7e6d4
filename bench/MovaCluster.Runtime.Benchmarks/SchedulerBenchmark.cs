using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Queue;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>The fair-share scheduler alone (no grains, no storage): add, position and dispatch costs at depth.</summary>
internal static class SchedulerBenchmark
{
    public static void Run(int queued, int tenants)
    {
        var scheduler = new FairShareScheduler(tenant => tenant.EndsWith('0') ? 2 : 1);
        var priorities = new[] { JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch };
        var jobs = Enumerable.Range(0, queued).Select(i => new QueuedJob
        {
            Ticket = new JobTicket
            {
                JobId = $"s-{i}", TenantId = $"tenant-{i % tenants}", Priority = priorities[i % 3], Model = "", Volume = 1, Steps = 10,
                EnqueuedAt = DateTimeOffset.UnixEpoch,
            },
            Order = i,
        }).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var job in jobs)
        {
            scheduler.Add(job);
        }

        var add = clock.Elapsed;
        clock.Restart();
        var samples = jobs.Where((_, i) => i % 50 == 0).ToList();
        foreach (var job in samples)
        {
            scheduler.PositionOf(job.Ticket.JobId);
        }

        var position = clock.Elapsed / samples.Count;
        var snapshot = new QueueSnapshot { Queued = [.. scheduler.Jobs] };
        clock.Restart();
        var bytes = snapshot.Encode();
        var encode = clock.Elapsed;
        clock.Restart();
        var dispatched = 0;
        while (scheduler.TryDequeue(_ => true, _ => true) is not null)
        {
            dispatched++;
        }

        var dispatch = clock.Elapsed;
        Console.WriteLine(
            $"scheduler, {queued} queued over {tenants} tenants: add {queued / add.TotalSeconds:F0}/s; position of a job {position.TotalMilliseconds:F2} ms (mean); " +
            $"snapshot {bytes.Length / 1024} KiB in {encode.TotalMilliseconds:F1} ms; dispatch {dispatched / dispatch.TotalSeconds:F0} jobs/s");
    }
}
