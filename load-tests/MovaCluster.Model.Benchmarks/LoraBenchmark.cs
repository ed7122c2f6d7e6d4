using System.Collections;
using System.Diagnostics;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using TorchSharp;
using TorchSharp.PyBridge;

namespace MovaCluster.Model.Benchmarks;

/// <summary>
/// LoRA costs at a benchmark config: reading an adapter from disk (official .pt and safetensors), validating and
/// binding it, merging and restoring it, and the step time (both CFG passes) with no adapter, one unmerged adapter and
/// the same adapter merged. The three step modes are interleaved round by round so machine load hits them alike.
/// </summary>
internal static class LoraBenchmark
{
    public static void Run(BenchmarkCase benchmark, int rounds, int rank)
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
        var targets = LoraTargets.ForDenoiser(denoiser);
        var runtime = new LoraRuntime(targets);

        var folder = Path.Combine(Path.GetTempPath(), "mova-lora-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var paths = WriteAdapter(folder, targets.Catalog, rank);
            var adapterBytes = new FileInfo(paths.Pt).Length;
            var ptRead = Median(5, () => LoraAdapterReader.Read(paths.PtFolder).Dispose());
            var safetensorsRead = Median(5, () => LoraAdapterReader.Read(paths.Safetensors).Dispose());
            using var adapter = LoraAdapterReader.Read(paths.PtFolder);
            var validate = Median(5, () => targets.Catalog.Validate(adapter));
            var bind = Median(5, () => targets.Bind(adapter).Dispose());
            using var bound = targets.Bind(adapter);
            var set = new LoraSet(new AppliedLora(bound));
            Console.WriteLine(
                $"lora {benchmark.Name}: rank {rank}, {adapter.Layers.Count} layers, {adapter.Bytes / 1e6:F1} MB of float32 matrices ({adapterBytes / 1e6:F1} MB lora_weights.pt)");
            Console.WriteLine(
                $"  read lora_weights.pt + lora_config.pt: median {ptRead:F1} ms; read safetensors: {safetensorsRead:F1} ms; validate: {validate:F2} ms; bind (CPU): {bind:F2} ms");

            var merge = new List<Sample>();
            var restore = new List<Sample>();
            for (var i = 0; i < 5; i++)
            {
                merge.Add(Measure(() => runtime.Merge(set)));
                restore.Add(Measure(runtime.Restore));
            }

            Console.WriteLine($"  merge (W + B A·s into {runtime.Targets.Layers.Count} weights, originals copied to the CPU backup): {Summary(merge)}");
            Console.WriteLine($"  restore (originals copied back, bit-identical): {Summary(restore)}");

            using var generator = new torch.Generator(42);
            var (t, h, w) = benchmark.LatentGrid;
            using var videoInput = torch.randn([1, 36, t, h, w], generator: generator);
            using var audio = torch.randn([1, benchmark.Audio.InDim, benchmark.AudioSteps], generator: generator);
            using var prompt = torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator);
            using var negative = torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator);
            var request = new StepRequest(0, VideoExpert.HighNoise, videoInput, audio, prompt, negative, 900f, 900f, 24.0);
            var plain = new LocalStepExecutor(denoiser);
            var unmerged = new LoraStepExecutor(plain, runtime, set);
            Step(plain, request);
            Step(unmerged, request);
            var times = new Dictionary<string, List<Sample>> { ["none"] = [], ["unmerged"] = [], ["merged"] = [] };
            for (var round = 0; round < rounds; round++)
            {
                times["none"].Add(Step(plain, request));
                times["unmerged"].Add(Step(unmerged, request));
                runtime.Merge(set);
                times["merged"].Add(Step(plain, request));
                runtime.Restore();
            }

            foreach (var (mode, values) in times)
            {
                Console.WriteLine($"  step, 2 passes ({mode}): {Summary(values)}; {values.Count} interleaved rounds");
            }

            Console.WriteLine($"  load: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string PtFolder, string Pt, string Safetensors) WriteAdapter(string folder, LoraLayerCatalog catalog, int rank)
    {
        Directory.CreateDirectory(folder);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        using var generator = new torch.Generator(7);
        foreach (var (name, shape) in catalog.Layers)
        {
            tensors[name + ".lora_A.weight"] = torch.randn([rank, shape.InFeatures], generator: generator).mul_(0.01);
            tensors[name + ".lora_B.weight"] = torch.randn([shape.OutFeatures, rank], generator: generator).mul_(0.01);
        }

        var pt = Path.Combine(folder, LoraAdapterReader.WeightsFileName);
        PyTorchPickler.PickleStateDict(pt, new Hashtable(tensors));
        PyTorchPickler.PickleStateDict(
            Path.Combine(folder, LoraAdapterReader.ConfigFileName),
            new Hashtable { ["rank"] = "MOVATrain", ["alpha"] = 16.0, ["target_modules"] = new ArrayList() });
        var safetensors = Path.Combine(folder, "adapter.safetensors");
        SafetensorsWriter.Write(safetensors, tensors, new Dictionary<string, string> { ["alpha"] = "16.0" });
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        return (folder, pt, safetensors);
    }

    private static Sample Step(IStepExecutor executor, StepRequest request) => Measure(() =>
    {
        using (executor.Evaluate(request, CancellationToken.None))
        {
        }
    });

    // Wall time and this process's CPU time: on the shared machine the CPU time is the less load-sensitive figure.
    private static Sample Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        var wall = clock.Elapsed.TotalMilliseconds;
        process.Refresh();
        return new Sample(wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }

    private static double Time(Action action) => Measure(action).WallMs;

    private static string Summary(List<Sample> samples) =>
        $"wall median {Median([.. samples.Select(s => s.WallMs)]):F1} ms (min {samples.Min(s => s.WallMs):F1}), CPU median {Median([.. samples.Select(s => s.CpuMs)]):F1} ms (min {samples.Min(s => s.CpuMs):F1})";

    private static double Median(int repeats, Action action) => Median([.. Enumerable.Range(0, repeats).Select(_ => Time(action))]);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed record Sample(double WallMs, double CpuMs);
}
