using System.Diagnostics;
using System.Globalization;
using MovaCluster.Model.Benchmarks;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using TorchSharp;

var which = args.Length > 0 ? args[0] : "all";
if (int.TryParse(Environment.GetEnvironmentVariable("MOVA_BENCH_THREADS"), CultureInfo.InvariantCulture, out var threads) && threads > 0)
{
    torch.set_num_threads(threads);
}

// lora [tiny|bench] [rounds] [rank]: adapter load, merge/restore and step time without, unmerged and merged.
if (which == "lora")
{
    Console.WriteLine($"TorchSharp threads: {torch.get_num_threads()}, processors: {Environment.ProcessorCount}, load: {File.ReadAllText("/proc/loadavg").Trim()}");
    var config = args.Length > 1 && args[1] == "tiny" ? BenchmarkCase.Tiny() : BenchmarkCase.Bench();
    LoraBenchmark.Run(config, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16);
    return;
}

var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
if (which is "cache" or "cache-tiny")
{
    Console.WriteLine($"TorchSharp threads: {torch.get_num_threads()}, processors: {Environment.ProcessorCount}, load: {File.ReadAllText("/proc/loadavg").Trim()}");
    var prompts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    CacheBenchmark.Run(which == "cache" ? BenchmarkCase.Bench() : BenchmarkCase.Tiny(), steps > 0 ? steps : 20, prompts);
    return;
}

var cases = which switch
{
    "tiny" => new[] { BenchmarkCase.Tiny() },
    "bench" => new[] { BenchmarkCase.Bench() },
    _ => new[] { BenchmarkCase.Tiny(), BenchmarkCase.Bench() },
};

Console.WriteLine($"TorchSharp threads: {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}), processors: {Environment.ProcessorCount}, load: {File.ReadAllText("/proc/loadavg").Trim()}");
Calibrate();
foreach (var benchmark in cases)
{
    Run(benchmark, steps > 0 ? steps : benchmark.Name == "tiny" ? 50 : 4);
}

static void Run(BenchmarkCase benchmark, int steps)
{
    var factory = new ParameterFactory(torch.CPU, DTypePolicy.Float32);
    using var denoiser = new MovaDenoiser(
        new WanModel(benchmark.Video, factory),
        new WanModel(benchmark.Video, factory),
        new WanAudioModel(benchmark.Audio, factory),
        new DualTowerConditionalBridge(benchmark.Bridge, factory));
    RandomWeights.Fill(denoiser.HighNoise, 1);
    RandomWeights.Fill(denoiser.LowNoise, 2);
    RandomWeights.Fill(denoiser.Audio, 3);
    RandomWeights.Fill(denoiser.Bridge, 4);

    using var generator = new torch.Generator(42);
    var (t, h, w) = benchmark.LatentGrid;
    using var videoNoise = torch.randn([1, 16, t, h, w], generator: generator);
    using var condition = torch.randn([1, 20, t, h, w], generator: generator);
    using var audioNoise = torch.randn([1, benchmark.Audio.InDim, benchmark.AudioSteps], generator: generator);
    using var prompt = torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator);
    using var negative = torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator);
    var request = new SamplingRequest(videoNoise, audioNoise, condition, prompt, negative, 24.0);
    var executor = new LocalStepExecutor(denoiser);

    // Warm-up: one step (kernel selection, RoPE table caching).
    using (MovaSampler.Run(executor, request, new SamplerOptions { NumInferenceSteps = 1, CfgScale = benchmark.CfgScale }))
    {
    }

    var stepTimes = new List<double>();
    var cpuTimes = new List<double>();
    using var process = Process.GetCurrentProcess();
    var cpuClock = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    using (MovaSampler.Run(executor, request, new SamplerOptions { NumInferenceSteps = steps, CfgScale = benchmark.CfgScale }, onStep: _ =>
    {
        stepTimes.Add(clock.Elapsed.TotalMilliseconds);
        process.Refresh();
        cpuTimes.Add((process.TotalProcessorTime - cpuClock).TotalMilliseconds);
        cpuClock = process.TotalProcessorTime;
        clock.Restart();
    }))
    {
    }

    var (rss, peak) = PeakMemory.Read();
    stepTimes.Sort();
    var median = stepTimes[stepTimes.Count / 2];
    var mean = stepTimes.Average();
    Console.WriteLine(
        $"{benchmark.Name}: video tokens {benchmark.VideoTokens}, audio tokens {benchmark.AudioSteps}, text {benchmark.TextTokens}, " +
        $"CFG {benchmark.CfgScale} (2 passes/step), {steps} steps: median {median:F1} ms/step, mean {mean:F1}, min {stepTimes[0]:F1}, max {stepTimes[^1]:F1}; " +
        $"process CPU time median {Median(cpuTimes):F1} ms/step; RSS {rss / 1e6:F0} MB, peak RSS {peak / 1e6:F0} MB");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

// Reference point under the same load: float32 GEMMs of the bench FFN shape, as GFLOP/s of wall and of CPU time.
static void Calibrate()
{
    using var a = torch.randn(2184, 512);
    using var b = torch.randn(512, 1382);
    using (torch.matmul(a, b))
    {
    }

    using var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    const int Repeats = 20;
    for (var i = 0; i < Repeats; i++)
    {
        using var c = torch.matmul(a, b);
    }

    var wall = clock.Elapsed.TotalSeconds;
    process.Refresh();
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    var flop = 2.0 * 2184 * 512 * 1382 * Repeats;
    Console.WriteLine($"calibration: [2184x512]x[512x1382] fp32 matmul {flop / wall / 1e9:F1} GFLOP/s wall, {flop / cpuSeconds / 1e9:F1} GFLOP per CPU-second");
}
