using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tiny;
using TorchSharp;

namespace MovaCluster.Model.Benchmarks;

/// <summary>
/// The step and block cache on a benchmark config: calibrates TeaCache from uncached runs of calibration prompts, then
/// samples each evaluation prompt uncached and with every tier, and prints per run the passes and layer evaluations
/// skipped, wall and CPU time, and the drift of the final latents and of the decoded frames (tiny random Wan VAE)
/// against the uncached run of the same prompt. A "prompt" is a seed for the noise, condition and text embeddings.
/// <c>MOVA_BENCH_TIERS</c> (JSON object of tier name → <see cref="CacheSettings"/>) replaces fast/faster (off stays);
/// <c>MOVA_BENCH_TEACACHE</c> (a folder with teacache.json) skips the calibration runs.
/// </summary>
internal static class CacheBenchmark
{
    private static readonly long[] CalibrationSeeds = [1001, 1002];

    public static void Run(BenchmarkCase benchmark, int steps, int prompts)
    {
        using var denoiser = BuildDenoiser(benchmark);
        var options = new SamplerOptions { NumInferenceSteps = steps, CfgScale = benchmark.CfgScale };
        using (var warm = Request(benchmark, 1))
        using (MovaSampler.Run(new LocalStepExecutor(denoiser), warm.Sampling, options with { NumInferenceSteps = 1 }))
        {
        }

        var reuse = Environment.GetEnvironmentVariable("MOVA_BENCH_TEACACHE");
        var coefficients = string.IsNullOrEmpty(reuse) ? Calibrate(denoiser, benchmark, options) : TeaCacheCoefficients.TryLoad(reuse)!;
        var tinyRoot = TinyMovaCheckpoint.EnsureWritten(Path.Combine(Path.GetTempPath(), "mova-bench-tiny"));
        using var vae = WanVideoVae.FromFolder(Path.Combine(tinyRoot, "video_vae"), torch.CPU);
        var executor = new LocalStepExecutor(denoiser, coefficients);
        var tiers = new List<(string Name, CacheSettings? Settings)> { ("off", null), ("fast", CacheTiers.Fast), ("faster", CacheTiers.Faster) };
        if (Environment.GetEnvironmentVariable("MOVA_BENCH_TIERS") is { Length: > 0 } extra)
        {
            // Tiers given replace the built-in ones (a run on a checkpoint whose step changes lie above their thresholds).
            tiers.RemoveRange(1, tiers.Count - 1);
            tiers.AddRange(JsonSerializer.Deserialize<Dictionary<string, CacheSettings>>(extra)!.Select(p => (p.Key, (CacheSettings?)(p.Value with { Name = p.Key }))));
        }

        foreach (var (name, settings) in tiers.Skip(1))
        {
            Console.WriteLine($"tier {name}: {settings}");
        }

        var rows = new List<Row>();
        Console.WriteLine("prompt | tier | passes computed / block-reused / step-reused | layer evals skipped | wall s | CPU s | load | latents max abs / PSNR dB | audio latents max abs / PSNR dB | frames max abs / PSNR dB");
        for (var prompt = 1; prompt <= prompts; prompt++)
        {
            using var request = Request(benchmark, prompt);
            torch.Tensor? baseVideo = null;
            torch.Tensor? baseAudio = null;
            torch.Tensor? baseFrames = null;
            try
            {
                foreach (var (name, settings) in tiers)
                {
                    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                    using var process = Process.GetCurrentProcess();
                    var cpu = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    using var result = MovaSampler.Run(executor, request.Sampling, options with { Cache = settings });
                    var wall = clock.Elapsed.TotalSeconds;
                    process.Refresh();
                    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                    var frames = Decode(vae, result.VideoLatents);
                    var totals = result.Cache?.Totals;
                    var row = new Row(prompt, name, wall, cpuSeconds, totals, load);
                    if (settings is null)
                    {
                        baseVideo = result.VideoLatents.clone();
                        baseAudio = result.AudioLatents.clone();
                        baseFrames = frames;
                    }
                    else
                    {
                        row = row with
                        {
                            Latents = Drift(result.VideoLatents, baseVideo!, Peak(baseVideo!)),
                            Audio = Drift(result.AudioLatents, baseAudio!, Peak(baseAudio!)),
                            Frames = Drift(frames, baseFrames!, 255),
                        };
                        frames.Dispose();
                    }

                    rows.Add(row);
                    Console.WriteLine(row);
                }
            }
            finally
            {
                baseVideo?.Dispose();
                baseAudio?.Dispose();
                baseFrames?.Dispose();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Medians over {prompts} prompts, {steps} steps, CFG {benchmark.CfgScale}:");
        Console.WriteLine("| tier | passes computed / block-reused / step-reused | layer evaluations skipped | wall s/job | CPU s/job | speed-up (CPU) | latents max abs / PSNR | frames max abs / PSNR |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var offCpu = Median(rows.Where(r => r.Tier == "off").Select(r => r.CpuSeconds));
        foreach (var (name, _) in tiers)
        {
            var of = rows.Where(r => r.Tier == name).ToList();
            var t = of.Select(r => r.Totals).ToList();
            var passes = t[0] is null ? "all" : $"{Median(t.Select(x => (double)x!.PassesComputed)):F0} / {Median(t.Select(x => (double)x!.PassesBlocksReused)):F0} / {Median(t.Select(x => (double)x!.PassesStepReused)):F0}";
            var skipped = t[0] is null ? "0 %" : $"{100 * Median(t.Select(x => x!.SkippedLayerFraction)):F1} %";
            var drift = of[0].Latents is null
                ? "- | -"
                : $"{Median(of.Select(r => r.Latents!.Value.MaxAbs)):G3} / {Median(of.Select(r => r.Latents!.Value.Psnr)):F1} dB | {Median(of.Select(r => r.Frames!.Value.MaxAbs)):F0} / {Median(of.Select(r => r.Frames!.Value.Psnr)):F1} dB";
            var cpu = Median(of.Select(r => r.CpuSeconds));
            Console.WriteLine($"| {name} | {passes} | {skipped} | {Median(of.Select(r => r.WallSeconds)):F1} | {cpu:F1} | {offCpu / cpu:F2}x | {drift} |");
        }
    }

    private static TeaCacheCoefficients Calibrate(MovaDenoiser denoiser, BenchmarkCase benchmark, SamplerOptions options)
    {
        var recorder = new CacheCalibrationRecorder();
        var clock = Stopwatch.StartNew();
        foreach (var seed in CalibrationSeeds)
        {
            using var request = Request(benchmark, seed);
            using (MovaSampler.Run(new LocalStepExecutor(denoiser), request.Sampling, options with { CacheCalibration = recorder }))
            {
            }
        }

        var samples = recorder.Samples;
        Console.WriteLine($"calibration: {CalibrationSeeds.Length} uncached runs, {samples.Count} samples, {clock.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine("step | expert | time-modulation change x | stack-residual change y | first-layer residual change (mean over branches and runs)");
        foreach (var group in samples.GroupBy(s => (s.Step, s.Expert)).OrderBy(g => g.Key.Step))
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{group.Key.Step} | {group.Key.Expert} | {group.Average(s => s.SignalChange):F4} | {group.Average(s => s.OutputChange):F4} | {group.Average(s => s.FirstLayersChange ?? double.NaN):F4}"));
        }

        var coefficients = TeaCacheFitter.Fit(
            samples,
            calibration: new TeaCacheCalibrationInfo(recorder.Runs, samples.Count, DateTimeOffset.UtcNow, $"{benchmark.Name} config, {options.NumInferenceSteps} steps"));
        var folder = Path.Combine(Path.GetTempPath(), $"mova-bench-{benchmark.Name}-checkpoint");
        var path = coefficients.Save(folder);
        Console.WriteLine($"fitted and wrote {path}:");
        Console.WriteLine(File.ReadAllText(path));
        return TeaCacheCoefficients.TryLoad(folder)!;
    }

    private static MovaDenoiser BuildDenoiser(BenchmarkCase benchmark)
    {
        var factory = new ParameterFactory(torch.CPU, DTypePolicy.Float32);
        var denoiser = new MovaDenoiser(
            new WanModel(benchmark.Video, factory),
            new WanModel(benchmark.Video, factory),
            new WanAudioModel(benchmark.Audio, factory),
            new DualTowerConditionalBridge(benchmark.Bridge, factory));
        RandomWeights.Fill(denoiser.HighNoise, 1);
        RandomWeights.Fill(denoiser.LowNoise, 2);
        RandomWeights.Fill(denoiser.Audio, 3);
        RandomWeights.Fill(denoiser.Bridge, 4);
        return denoiser;
    }

    private static OwnedRequest Request(BenchmarkCase benchmark, long seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        var (t, h, w) = benchmark.LatentGrid;
        var tensors = new[]
        {
            torch.randn([1, 16, t, h, w], generator: generator),
            torch.randn([1, benchmark.Audio.InDim, benchmark.AudioSteps], generator: generator),
            torch.randn([1, 20, t, h, w], generator: generator),
            torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator),
            torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator),
        };
        return new OwnedRequest(new SamplingRequest(tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], 24.0), tensors);
    }

    private static torch.Tensor Decode(WanVideoVae vae, torch.Tensor latents)
    {
        using var scope = torch.NewDisposeScope();
        var video = vae.DecodeToRgb(vae.Denormalize(latents));
        return torch.tensor(video.Frames.SelectMany(f => f).ToArray(), [video.FrameCount, video.Height, video.Width, 3]).MoveToOuterDisposeScope();
    }

    private static double Peak(torch.Tensor reference)
    {
        using var absolute = reference.abs();
        using var max = absolute.max();
        return max.to(torch.ScalarType.Float64).item<double>();
    }

    private static (double MaxAbs, double Psnr) Drift(torch.Tensor actual, torch.Tensor expected, double peak)
    {
        using var scope = torch.NewDisposeScope();
        var difference = actual.to(torch.ScalarType.Float64) - expected.to(torch.ScalarType.Float64);
        var maxAbs = difference.abs().max().item<double>();
        var mse = difference.square().mean().item<double>();
        return (maxAbs, mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(peak * peak / mse));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Row(int Prompt, string Tier, double WallSeconds, double CpuSeconds, CacheTotals? Totals, string Load)
    {
        public (double MaxAbs, double Psnr)? Latents { get; init; }

        public (double MaxAbs, double Psnr)? Audio { get; init; }

        public (double MaxAbs, double Psnr)? Frames { get; init; }

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Prompt} | {Tier} | {(Totals is null ? "all" : $"{Totals.PassesComputed} / {Totals.PassesBlocksReused} / {Totals.PassesStepReused}")} | "
            + $"{100 * (Totals?.SkippedLayerFraction ?? 0):F1} % | {WallSeconds:F1} | {CpuSeconds:F1} | {Load} | {Show(Latents)} | {Show(Audio)} | {Show(Frames)}");

        private static string Show((double MaxAbs, double Psnr)? drift) =>
            drift is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d.MaxAbs:G3} / {d.Psnr:F1}") : "-";
    }

    private sealed class OwnedRequest(SamplingRequest sampling, torch.Tensor[] tensors) : IDisposable
    {
        public SamplingRequest Sampling { get; } = sampling;

        public void Dispose()
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }
}
