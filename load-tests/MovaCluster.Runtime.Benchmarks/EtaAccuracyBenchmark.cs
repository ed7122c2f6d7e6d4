using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Grains.Hosting;
using MovaCluster.Media;
using MovaCluster.Storage;

namespace MovaCluster.Runtime.Benchmarks;

/// <summary>
/// How close the ETAs come on a mixed run of real tiny-MOVA jobs (one embedded silo, one cpu worker, ffmpeg muxing,
/// local-disk clips): after one warm-up job per measured shape, a batch of jobs of three shapes (one never measured,
/// so it borrows a measured one scaled by volume) is submitted at once. Each job's snapshot is read every 50 ms; the
/// predicted time left (<see cref="JobSnapshot.EstimatedRemaining"/>) at submit, at start, at half its steps and at its
/// last step is compared with the time it actually took from that moment to completion.
/// </summary>
internal static class EtaAccuracyBenchmark
{
    private sealed record Shape(int Width, int Height, int Frames, int Steps)
    {
        public override string ToString() => $"{Width}x{Height}x{Frames}f/{Steps}st";
    }

    private sealed class Sample
    {
        public (DateTimeOffset At, TimeSpan Predicted)? Submit, Start, Half, Last;
        public DateTimeOffset Finished;
    }

    public static async Task RunAsync()
    {
        var measured = new[] { new Shape(64, 48, 17, 4), new Shape(96, 64, 25, 8) };
        var unmeasured = new Shape(128, 96, 17, 6);
        var batch = new[] { measured[0], measured[1], unmeasured, measured[0], measured[1], unmeasured, measured[0], measured[1] };

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Execution:Executor"] = "Mova",
            ["Mova:Storage:Provider"] = "LocalDisk",
            ["Mova:Storage:LocalDisk:RootPath"] = Path.Combine(Path.GetTempPath(), "mova-bench-eta-clips"),
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

        Console.WriteLine($"ETA accuracy, tiny MOVA, one cpu worker; load average before: {LoadAverage()}");
        foreach (var shape in measured.Append(measured[0]))
        {
            var warm = await SubmitAsync(client, shape, "warm-up", new Sample());
            await WaitFinishedAsync(client, warm, new Sample());
        }

        var jobs = new List<(string Id, Shape Shape, Sample Sample)>();
        foreach (var shape in batch)
        {
            var sample = new Sample();
            var id = await SubmitAsync(client, shape, "batch", sample);
            jobs.Add((id, shape, sample));
        }

        await Task.WhenAll(jobs.Select(job => WaitFinishedAsync(client, job.Id, job.Sample)));
        Console.WriteLine($"load average after: {LoadAverage()}");
        Console.WriteLine("job | shape | at submit: predicted / actual s | at start | at half the steps | at the last step");
        var errors = new Dictionary<string, List<double>> { ["submit"] = [], ["start"] = [], ["half"] = [], ["last"] = [] };
        for (var i = 0; i < jobs.Count; i++)
        {
            var (_, shape, sample) = jobs[i];
            string Cell(string name, (DateTimeOffset At, TimeSpan Predicted)? point)
            {
                if (point is not { } p)
                {
                    return "-";
                }

                var actual = (sample.Finished - p.At).TotalSeconds;
                errors[name].Add((p.Predicted.TotalSeconds - actual) / actual);
                return string.Create(CultureInfo.InvariantCulture, $"{p.Predicted.TotalSeconds:F2} / {actual:F2}");
            }

            Console.WriteLine($"{i + 1} | {shape} | {Cell("submit", sample.Submit)} | {Cell("start", sample.Start)} | {Cell("half", sample.Half)} | {Cell("last", sample.Last)}");
        }

        foreach (var (name, list) in errors.Where(pair => pair.Value.Count > 0))
        {
            var absolute = list.Select(Math.Abs).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"at {name}: mean signed error {list.Average() * 100:F0}%, median |error| {absolute[absolute.Count / 2] * 100:F0}%, worst |error| {absolute[^1] * 100:F0}% ({list.Count} jobs)"));
        }

        await host.StopAsync();
    }

    /// <summary>Submits the job; the ETA its submit answered is the "at submit" prediction.</summary>
    private static async Task<string> SubmitAsync(IClusterClient client, Shape shape, string what, Sample sample)
    {
        var id = $"eta-{what}-{Guid.NewGuid():N}";
        var result = await client.GetGrain<IJobGrain>(id).SubmitAsync(new JobSubmission
        {
            TenantId = "bench",
            Request = new GenerationRequest
            {
                Prompt = $"A cat plays the piano in the rain, {what}.", Width = shape.Width, Height = shape.Height, FrameCount = shape.Frames,
                FramesPerSecond = 8, Steps = shape.Steps, Seed = 7, GuidanceScale = 5f,
            },
        });
        if (result.Job?.EstimatedRemaining is { } predicted)
        {
            sample.Submit = (DateTimeOffset.UtcNow, predicted);
        }

        return id;
    }

    private static async Task WaitFinishedAsync(IClusterClient client, string id, Sample sample)
    {
        var job = client.GetGrain<IJobGrain>(id);
        while (true)
        {
            var snapshot = await job.GetAsync();
            var now = DateTimeOffset.UtcNow;
            if (snapshot.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled)
            {
                if (snapshot.Status != JobStatus.Completed)
                {
                    throw new InvalidOperationException($"job {id} ended {snapshot.Status}: {snapshot.Error}");
                }

                sample.Finished = snapshot.FinishedAt ?? now;
                return;
            }

            if (snapshot.EstimatedRemaining is { } predicted)
            {
                if (snapshot.Status == JobStatus.Running)
                {
                    sample.Start ??= (now, predicted);
                    if (snapshot.CompletedSteps * 2 >= snapshot.TotalSteps && snapshot.CompletedSteps > 0)
                    {
                        sample.Half ??= (now, predicted);
                    }

                    if (snapshot.TotalSteps > 0 && snapshot.CompletedSteps == snapshot.TotalSteps)
                    {
                        sample.Last ??= (now, predicted);
                    }
                }
            }

            await Task.Delay(50);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
