using MovaCluster.Runtime.Benchmarks;

Console.WriteLine($"cluster runtime benchmarks: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
var only = args.FirstOrDefault();

if (only is null or "steps")
{
    await StepOverheadBenchmark.RunAsync("defaults (preview every step, checkpoint every 5 steps)", new Dictionary<string, string?>());
    await StepOverheadBenchmark.RunAsync(
        "preview every 10 steps, checkpoint every 10 steps",
        new Dictionary<string, string?> { ["Mova:Worker:PreviewEverySteps"] = "10", ["Mova:Worker:CheckpointEverySteps"] = "10" });
}

if (only is null or "dispatch" or "scheduler")
{
    SchedulerBenchmark.Run(queued: 5000, tenants: 10);
    SchedulerBenchmark.Run(queued: 50_000, tenants: 100);
}

if (only is null or "dispatch" or "queue")
{
    await DispatchBenchmark.QueueDispatchAsync(queued: 5000, concurrentWorkers: 8);
    await DispatchBenchmark.QueueDispatchAsync(queued: 5000, concurrentWorkers: 32);
}

if (only is "queue-redis")
{
    var redis = Environment.GetEnvironmentVariable("MOVA_BENCH_REDIS")
        ?? throw new InvalidOperationException("Set MOVA_BENCH_REDIS to the connection string of a scratch redis-server.");
    await DispatchBenchmark.QueueDispatchAsync(queued: 5000, concurrentWorkers: 8, redis);
    await DispatchBenchmark.QueueDispatchAsync(queued: 5000, concurrentWorkers: 32, redis);
}

if (only is null or "dispatch")
{
    await DispatchBenchmark.EndToEndAsync(jobs: 2000, devices: 4);
}

if (only is "lora-affinity")
{
    var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
    var jobs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 48;
    await LoraAffinityBenchmark.RunAsync(jobs, steps: 20, stepMs: 50, rounds: rounds);
}

if (only is null or "phases")
{
    await TinyMovaPhaseBenchmark.RunAsync(width: 64, height: 48, frames: 17, steps: 4, runs: 3);
    await TinyMovaPhaseBenchmark.RunAsync(width: 256, height: 256, frames: 49, steps: 20, runs: 2);
}

if (only is "eta")
{
    await EtaAccuracyBenchmark.RunAsync();
}

if (only is "dashboard")
{
    // dashboard [JOBS] [IMAGE_KIB] [SAMPLES]: one configuration; without arguments the three recorded in BENCHMARKS.md.
    if (args.Length > 1)
    {
        var number = (int at, int fallback) => args.Length > at ? int.Parse(args[at], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        await DashboardSamplingBenchmark.RunAsync(number(1, 100), number(2, 0) * 1024, number(3, 20));
    }
    else
    {
        await DashboardSamplingBenchmark.RunAsync(jobs: 100, imageBytes: 0, samples: 20);
        await DashboardSamplingBenchmark.RunAsync(jobs: 100, imageBytes: 1 << 20, samples: 20);
        await DashboardSamplingBenchmark.RunAsync(jobs: 20, imageBytes: 8 << 20, samples: 20);
    }
}
