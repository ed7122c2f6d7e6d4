using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Grains.Hosting;
using MovaCluster.Media;
using MovaCluster.Storage;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// End-to-end time of tiny-MOVA jobs split into phases: one embedded silo, one cpu worker with the tiny
/// random-weights MOVA, MP4 muxing with ffmpeg and the local-disk clip store; phase times come from the progress
/// events' timestamps (queue wait = submit to start).
/// </summary>
internal static class TinyMovaPhaseBenchmark
{
    public static async Task RunAsync(int width, int height, int frames, int steps, int runs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Execution:Executor"] = "Mova",
            ["Mova:Storage:Provider"] = "LocalDisk",
            ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(Path.GetTempPath(), "mova-bench-phase-clips"),
        });
        builder.Services.AddMovaMedia(builder.Configuration);
        builder.Services.AddMovaStorage(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddMovaMemoryProviders();
            silo.AddMovaRuntime();
            silo.AddMovaMp4Publishing();
        });
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Client();
        Console.WriteLine($"tiny MOVA job {width}x{height}, {frames} frames at 8 fps, {steps} steps, CFG 5; {runs} runs after one warm-up (ms):");
        Console.WriteLine("run | queue | encoding | high-noise | low-noise | decoding | muxing | uploading | total");
        for (var run = 0; run <= runs; run++)
        {
            var id = $"phase-{run}-{Guid.NewGuid():N}";
            var watcher = await JobWatcher.WatchAsync(client, id);
            var submitted = DateTimeOffset.UtcNow;
            await client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
            {
                TenantId = "bench",
                Request = new GenerationRequest
                {
                    Prompt = $"A cat plays the piano in the rain, take {run}.", Width = width, Height = height, FrameCount = frames,
                    FramesPerSecond = 8, Steps = steps, Seed = run, GuidanceScale = 5f,
                },
            });
            await watcher.Completed;
            var events = watcher.Events.Select(e => e.Event).ToList();
            var started = events.OfType<JobStartedEvent>().Single().Timestamp;
            var phases = events.OfType<JobPhaseEvent>().ToList();
            var finished = events.OfType<JobCompletedEvent>().Single().Timestamp;
            var marks = phases.Select(p => p.Timestamp).Append(finished).ToList();
            var spans = Enumerable.Range(0, phases.Count).Select(i => (marks[i + 1] - marks[i]).TotalMilliseconds).ToList();
            if (run > 0)
            {
                Console.WriteLine($"{run} | {(started - submitted).TotalMilliseconds:F0} | {string.Join(" | ", spans.Select(s => s.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} | {(finished - submitted).TotalMilliseconds:F0}");
            }
        }

        await host.StopAsync();
    }
}
