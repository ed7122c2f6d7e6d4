using System.Diagnostics;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// Orchestration cost per denoising step on a zero-cost device: the wall time of a job of N steps minus that of a
/// 1-step job, divided by N - 1. Every step publishes a numbered step event (and, by default, a preview) through the
/// job grain, which persists its sequence number; every k steps a checkpoint is stored.
/// </summary>
internal static class StepOverheadBenchmark
{
    public static async Task RunAsync(string label, IDictionary<string, string?> settings, int steps = 1000, int repeats = 3)
    {
        using var host = await BenchmarkSilo.StartAsync(devices: 1, settings);
        var client = host.Client();
        await TimeJobAsync(client, 10);
        var best1 = double.MaxValue;
        var bestN = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            best1 = Math.Min(best1, await TimeJobAsync(client, 1));
            bestN = Math.Min(bestN, await TimeJobAsync(client, steps));
        }

        var perStep = (bestN - best1) / (steps - 1);
        Console.WriteLine($"{label}: 1-step job {best1:F1} ms, {steps}-step job {bestN:F1} ms -> {perStep * 1000:F0} us per step");
        await host.StopAsync();
    }

    private static async Task<double> TimeJobAsync(IClusterClient client, int steps)
    {
        var id = "bench-" + Guid.NewGuid().ToString("N");
        var watcher = await JobWatcher.WatchAsync(client, id);
        var clock = Stopwatch.StartNew();
        var result = await client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
        {
            TenantId = "bench",
            Request = new GenerationRequest { Prompt = "bench", Width = 16, Height = 16, FrameCount = 1, Steps = steps, Seed = 1 },
        });
        if (!result.Accepted)
        {
            throw new InvalidOperationException(result.Message);
        }

        await watcher.Completed;
        return clock.Elapsed.TotalMilliseconds;
    }
}
