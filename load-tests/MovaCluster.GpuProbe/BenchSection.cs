using System.Text.Json.Nodes;
using MovaCluster.Model.Benchmarks;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// The model benchmark's step (load-tests/MovaCluster.Model.Benchmarks: the same configs, seeds and sampler; CFG 5 =
/// two passes per step) in float32 and in bf16 (the production dtype policy: bf16 weights and activations, fp32 time
/// embedding, sampler and CFG), timed at synchronised step boundaries after warm-up steps; the "bench" config on a
/// full run, "tiny" otherwise.
/// </summary>
internal sealed class BenchSection : IProbeSection
{
    public string Name => "bench";

    public JsonObject Run(ProbeContext context)
    {
        var benchmark = context.IsFull ? BenchmarkCase.Bench() : BenchmarkCase.Tiny();
        var result = new JsonObject
        {
            ["config"] = benchmark.Name,
            ["video_tokens"] = benchmark.VideoTokens,
            ["audio_tokens"] = benchmark.AudioSteps,
            ["text_tokens"] = benchmark.TextTokens,
            ["cfg_scale"] = benchmark.CfgScale,
            ["backend"] = context.Backend(),
        };
        foreach (var (label, policy) in new[] { ("float32", DTypePolicy.Float32), ("bfloat16", DTypePolicy.BFloat16) })
        {
            ProbeContext.Log($"bench {benchmark.Name} {label}");
            result[label] = Time(context, benchmark, policy);
        }

        return result;
    }

    private static JsonObject Time(ProbeContext context, BenchmarkCase benchmark, DTypePolicy policy)
    {
        using var scope = torch.NewDisposeScope();
        using var memory = context.MeasureMemory();
        var device = context.Device;
        var factory = new ParameterFactory(device, policy);
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
        var request = new SamplingRequest(
            torch.randn([1, 16, t, h, w], generator: generator).to(device),
            torch.randn([1, benchmark.Audio.InDim, benchmark.AudioSteps], generator: generator).to(device),
            torch.randn([1, 20, t, h, w], generator: generator).to(device),
            torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator).to(device),
            torch.randn([1, benchmark.TextTokens, benchmark.Video.TextDim], generator: generator).to(device),
            24.0);
        var options = context.Options;
        var times = new StepTimes(context, options.WarmupSteps, options.BudgetSeconds / 2);
        var sampler = new SamplerOptions { NumInferenceSteps = options.WarmupSteps + options.BenchSteps, CfgScale = benchmark.CfgScale };
        StepLoop.Run(new LocalStepExecutor(denoiser), request, sampler, times);
        var result = times.ToJson();
        result["ms_per_step_median"] = result["median_seconds"] is { } median ? (JsonNode)Math.Round(median.GetValue<double>() * 1000, 3) : null;
        result["memory"] = memory.Finish();
        return result;
    }
}
