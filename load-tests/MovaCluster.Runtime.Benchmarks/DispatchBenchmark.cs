using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Contracts.Workers;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>Dispatch rate of the queue with many jobs waiting, and the end-to-end job rate of the whole runtime.</summary>
internal static class DispatchBenchmark
{
    private static readonly string[] Tenants = Enumerable.Range(0, 10).Select(i => $"tenant-{i}").ToArray();

    /// <summary>
    /// Fills the queue with <paramref name="queued"/> jobs from 10 tenants in 3 priority classes while no worker can
    /// take them (they need a model no worker has), then drains it through the queue grain's RequestWork, the call a
    /// worker makes: each answer is a fair-share decision plus a durable (group-committed) state write. With
    /// <c>redis</c>, the queue's state goes to that Redis server (its keys are left behind: use a scratch server).
    /// </summary>
    public static async Task QueueDispatchAsync(int queued, int concurrentWorkers, string? redis = null)
    {
        using var host = await BenchmarkSilo.StartAsync(devices: 1, new Dictionary<string, string?>(), redis);
        var queue = host.Client().GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);
        var submit = Stopwatch.StartNew();
        var priorities = new[] { JobPriority.Interactive, JobPriority.Standard, JobPriority.Batch };
        await Task.WhenAll(Enumerable.Range(0, queued).Select(i => queue.EnqueueAsync(new JobTicket
        {
            JobId = $"q-{i}", TenantId = Tenants[i % Tenants.Length], Priority = priorities[i % 3], Model = "bench-model",
            Volume = 16 * 16, Steps = 10, EnqueuedAt = DateTimeOffset.UtcNow,
        })));
        var enqueueRate = queued / submit.Elapsed.TotalSeconds;

        var workers = Enumerable.Range(0, concurrentWorkers).Select(i => new WorkerDescriptor
        {
            WorkerId = $"bench/{i}", SiloName = "bench", SiloAddress = "bench", Device = $"cpu:{i}", ModelName = "bench-model", MaxVolume = long.MaxValue,
        }).ToList();
        var dispatched = 0;
        var drain = Stopwatch.StartNew();
        while (dispatched < queued)
        {
            var round = await Task.WhenAll(workers.Select(async worker =>
            {
                var assignment = await queue.RequestWorkAsync(worker);
                if (assignment is not null)
                {
                    await queue.FinishedAsync(assignment.JobId, assignment.Attempt, 1.0);
                }

                return assignment is null ? 0 : 1;
            }));
            dispatched += round.Sum();
        }

        var dispatchRate = queued / drain.Elapsed.TotalSeconds;
        Console.WriteLine($"queue ({(redis is null ? "memory" : "Redis")} storage) with {queued} waiting: enqueue {enqueueRate:F0} jobs/s; dispatch (RequestWork + Finished, {concurrentWorkers} concurrent workers) {dispatchRate:F0} jobs/s");
        await host.StopAsync();
    }

    /// <summary>Whole jobs (1 step each) through submit, queue, worker, device, publish and completion.</summary>
    public static async Task EndToEndAsync(int jobs, int devices)
    {
        using var host = await BenchmarkSilo.StartAsync(devices, new Dictionary<string, string?> { ["Mova:Worker:PreviewEverySteps"] = "1000" });
        var client = host.Client();
        var ids = Enumerable.Range(0, jobs).Select(i => $"e2e-{i}-{Guid.NewGuid():N}").ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(ids.Select((id, i) => client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
        {
            TenantId = Tenants[i % Tenants.Length],
            Request = new GenerationRequest { Prompt = "bench", Width = 16, Height = 16, FrameCount = 1, Steps = 1, Seed = i },
        })));
        var submitted = clock.Elapsed;
        var queue = client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);
        while (true)
        {
            var statistics = await queue.GetStatisticsAsync();
            if (statistics.Queued == 0 && statistics.Running == 0)
            {
                break;
            }

            await Task.Delay(5);
        }

        var done = clock.Elapsed;
        var completed = 0;
        foreach (var id in ids)
        {
            completed += (await client.GetGrain<IJobGrain>(id).GetAsync()).Status == JobStatus.Completed ? 1 : 0;
        }

        Console.WriteLine($"end to end, {jobs} one-step jobs, {devices} workers: submitted in {submitted.TotalSeconds:F2} s ({jobs / submitted.TotalSeconds:F0} jobs/s), all finished after {done.TotalSeconds:F2} s ({jobs / done.TotalSeconds:F0} jobs/s); completed {completed}/{jobs}");
        await host.StopAsync();
    }
}
