using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Loras;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// Jobs per hour with 4 tenants, each with its own LoRA adapter, over 2 simulated workers whose device budget holds 2
/// adapters, with the queue's LoRA affinity on and off. The synthetic device sleeps each step and models the adapter
/// costs (load, merge, restore, the unmerged per-step overhead); the runtime is the real one: queue, worker grains,
/// object store, file cache, the workers' adapter cache and merge policy. Off and on runs alternate, so both see the
/// same machine load.
/// </summary>
internal static class LoraAffinityBenchmark
{
    private const int AdapterBytes = 1 << 20;
    private static readonly string[] Tenants = ["studio-a", "studio-b", "studio-c", "studio-d"];

    public static async Task RunAsync(int jobs, int steps, int stepMs, int rounds)
    {
        Console.WriteLine($"LoRA affinity: {jobs} jobs of {steps} steps at {stepMs} ms/step, 4 tenants x 1 adapter each, 2 workers holding at most 2 adapters; " +
            $"modeled load 0.1 step, merge 1 step, restore 0.5 step, unmerged +7 %/step; merge after 2 jobs in a row; load average {LoadAverage()}");
        Console.WriteLine("affinity | round | wall s | jobs/h (wall) | job-starts with an adapter switch | load average");
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var affinity in new[] { false, true })
            {
                var (wall, switches) = await MeasureAsync(affinity, jobs, steps, stepMs, seed: round);
                Console.WriteLine($"{(affinity ? "on" : "off"),8} | {round,5} | {wall.TotalSeconds,6:F1} | {jobs / wall.TotalHours,13:F0} | {switches,3} of {jobs} | {LoadAverage()}");
            }
        }
    }

    private static async Task<(TimeSpan Wall, int Switches)> MeasureAsync(bool affinity, int jobs, int steps, int stepMs, int seed)
    {
        var root = Path.Combine(Path.GetTempPath(), "mova-bench-lora", Guid.NewGuid().ToString("N"));
        var step = TimeSpan.FromMilliseconds(stepMs);
        using var host = await BenchmarkSilo.StartAsync(2, new Dictionary<string, string?>
        {
            ["Mova:Execution:Synthetic:StepDelay"] = step.ToString("c", CultureInfo.InvariantCulture),
            ["Mova:Execution:Synthetic:LoraLoadDelay"] = (step * 0.1).ToString("c", CultureInfo.InvariantCulture),
            ["Mova:Execution:Synthetic:LoraMergeDelay"] = step.ToString("c", CultureInfo.InvariantCulture),
            ["Mova:Execution:Synthetic:LoraRestoreDelay"] = (step * 0.5).ToString("c", CultureInfo.InvariantCulture),
            ["Mova:Execution:Lora:DeviceBudgetBytes"] = (AdapterBytes * 5L / 2).ToString(CultureInfo.InvariantCulture),
            ["Mova:Execution:Lora:FileCacheFolder"] = Path.Combine(root, "files"),
            ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(root, "objects"),
            ["Mova:Queue:LoraAffinity"] = affinity ? "true" : "false",
            ["Mova:Worker:PreviewEverySteps"] = "1000",
            ["Mova:Worker:CheckpointEverySteps"] = "1000",
        });
        try
        {
            var client = host.Client();
            var adapters = Tenants.ToDictionary(tenant => tenant, tenant => StoreAdapter(Path.Combine(root, "objects"), tenant));
            var random = new Random(seed);
            var submissions = Enumerable.Range(0, jobs).Select(i => Tenants[random.Next(Tenants.Length)]).ToList();
            var ids = submissions.Select((_, i) => $"lora-{i}-{Guid.NewGuid():N}").ToList();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < jobs; i++)
            {
                await client.GetGrain<IJobGrain>(ids[i]).SubmitAsync(new JobSubmission
                {
                    TenantId = submissions[i],
                    Request = new GenerationRequest { Prompt = "bench", Width = 16, Height = 16, FrameCount = 1, Steps = steps, Seed = i, Loras = [adapters[submissions[i]]] },
                });
            }

            var queue = client.GetGrain<IJobQueueGrain>(IJobQueueGrain.DefaultKey);
            while (await queue.GetStatisticsAsync() is { } statistics && (statistics.Queued > 0 || statistics.Running > 0))
            {
                await Task.Delay(20);
            }

            var wall = clock.Elapsed;
            var snapshots = await Task.WhenAll(ids.Select(id => client.GetGrain<IJobGrain>(id).GetAsync()));
            if (snapshots.FirstOrDefault(job => job.Status != JobStatus.Completed) is { } unfinished)
            {
                throw new InvalidOperationException($"Job {unfinished.JobId} ended {unfinished.Status}: {unfinished.Error}");
            }

            var switches = snapshots
                .GroupBy(job => job.WorkerId)
                .Sum(worker => worker.OrderBy(job => job.StartedAt).Select(job => job.TenantId).Zip(worker.OrderBy(job => job.StartedAt).Select(job => job.TenantId).Skip(1)).Count(pair => pair.First != pair.Second) + 1);
            return (wall, switches);
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>An adapter's files where a registration stores them (the synthetic device only needs their size).</summary>
    private static JobLora StoreAdapter(string objectRoot, string tenant)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tenant)));
        var location = LoraObjectKeys.Content(LoraScopes.Tenant(tenant), digest);
        var folder = Path.Combine(objectRoot, location.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, LoraObjectKeys.SafetensorsFile), new byte[AdapterBytes]);
        return new JobLora { Name = tenant, Digest = digest, Location = location };
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
