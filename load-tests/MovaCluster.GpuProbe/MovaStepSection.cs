using System.Diagnostics;
using System.Text.Json.Nodes;
using MovaCluster.Execution.Planned;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using MovaCluster.Planning;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// A MOVA-360p-shaped denoising step: one 14B video expert (the high-noise one, which the first steps run), the audio
/// tower and the bridge built directly in bf16 on the device (production dtype policy) with random weights made there
/// (<see cref="DeviceRandomInit"/>), then CFG steps of the real sampler at 352x640x193 (43,120 video tokens, 403 audio
/// tokens, 512 text rows) timed at synchronised step boundaries. Reports seconds per step against MOVA's own 9.0 s/step
/// on one H100 and the compute floor from the planner's FLOP count over a measured bf16 GEMM rate, the peak memory
/// against the planner's and the shard estimator's estimates, and an SDPA backend comparison at the real shape. A tiny
/// run takes the same path on the tiny towers.
/// </summary>
internal sealed class MovaStepSection : IProbeSection
{
    /// <summary>MOVA's README: 360p, 8 s, component offload on one H100 (SPEC 6.2).</summary>
    private const double OfficialSecondsPerStep = 9.0;

    public string Name => "mova-step";

    public JsonObject Run(ProbeContext context)
    {
        var shape = context.IsFull ? MovaStepShape.Mova360p() : MovaStepShape.Tiny();
        var device = context.Device;
        var policy = DTypePolicy.BFloat16;
        var result = new JsonObject { ["shape"] = shape.Name, ["backend"] = context.Backend() };
        var gemm = GemmRate(context, context.IsFull ? 8192 : 256);
        result["bf16_gemm_tflops"] = Math.Round(gemm, 4);

        using var memory = context.MeasureMemory();
        var build = Stopwatch.StartNew();
        var factory = new ParameterFactory(device, policy);
        using var denoiser = MovaDenoiser.ForExpert(
            VideoExpert.HighNoise,
            new WanModel(shape.Video, factory),
            new WanAudioModel(shape.Audio, factory),
            new DualTowerConditionalBridge(shape.Bridge, factory));
        var parameters = DeviceRandomInit.Fill(denoiser.HighNoise, 1, device) + DeviceRandomInit.Fill(denoiser.Audio, 2, device) + DeviceRandomInit.Fill(denoiser.Bridge, 3, device);
        context.Synchronize();
        var parameterBytes = new torch.nn.Module[] { denoiser.HighNoise, denoiser.Audio, denoiser.Bridge }
            .SelectMany(m => m.parameters()).Sum(p => p.numel() * p.ElementSize);
        result["weights"] = new JsonObject
        {
            ["parameters"] = parameters,
            ["bytes"] = parameterBytes,
            ["seconds_to_build"] = Math.Round(build.Elapsed.TotalSeconds, 3),
            ["how"] = "ParameterFactory: torch.empty per parameter on the device in the bf16 policy dtype (time embedding/projection fp32); " +
                "then in place on the device: normal_(0, 1/sqrt(fan_in)) for matrices, 1 for norm weights, normal_(0, 0.02) for other vectors (device generator, no host copy)",
        };

        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(7, device);
        var (frames, height, width) = (shape.LatentFrames, shape.LatentHeight, shape.LatentWidth);
        var audioTokens = shape.Workload.AudioTokens;
        var text = shape.Workload.TextTokens;
        var request = new SamplingRequest(
            torch.randn([1, 16, frames, height, width], device: device, generator: generator),
            torch.randn([1, shape.Audio.InDim, audioTokens], device: device, generator: generator),
            torch.randn([1, 20, frames, height, width], device: device, generator: generator),
            torch.randn([1, text, shape.Video.TextDim], device: device, generator: generator),
            torch.randn([1, text, shape.Video.TextDim], device: device, generator: generator),
            shape.Workload.Fps);
        var options = context.Options;
        var sampler = new SamplerOptions { NumInferenceSteps = shape.Workload.Steps, CfgScale = shape.Workload.GuidanceScale };
        var endStep = Math.Min(options.WarmupSteps + options.MovaSteps, MovaSampler.FirstLowNoiseStep(sampler));
        var times = new StepTimes(context, options.WarmupSteps, options.BudgetSeconds * 0.6);
        ProbeContext.Log($"mova-step: {shape.Name}, {parameterBytes / 1e9:F2} GB of weights built in {build.Elapsed.TotalSeconds:F1} s; running {endStep} step(s)");
        StepLoop.Run(new LocalStepExecutor(denoiser), request, sampler, times, endStep);
        var step = times.ToJson();
        result["steps"] = step;
        result["memory"] = memory.Finish();

        var cost = new StepCostModel(shape.Architecture(), shape.Workload);
        var stepFlops = cost.PassFlops() * shape.Workload.PassesPerStep;
        result["tokens"] = new JsonObject { ["video"] = shape.Workload.VideoTokens, ["audio"] = audioTokens, ["text"] = text };
        result["flops_per_step"] = stepFlops;
        result["compute_floor_seconds"] = gemm > 0 ? (JsonNode)Math.Round(stepFlops / (gemm * 1e12), 3) : null;
        if (step["median_seconds"] is { } median)
        {
            var seconds = median.GetValue<double>();
            result["seconds_per_step"] = seconds;
            result["achieved_tflops"] = Math.Round(stepFlops / seconds / 1e12, 4);
            result["official_seconds_per_step"] = OfficialSecondsPerStep;
        }

        result["estimates"] = Estimates(shape, cost, policy);
        result["attention"] = AttentionBackends(context, shape);
        return result;
    }

    /// <summary>What the planner (Planning's StepCostModel) and the shard estimator (Execution) expect one expert + audio + bridge to need.</summary>
    private static JsonObject Estimates(MovaStepShape shape, StepCostModel cost, DTypePolicy policy)
    {
        var layers = shape.Architecture().StackLayers;
        var plannerWeights = Enumerable.Range(0, layers).Sum(l => cost.LayerSharedBytes(l) + cost.LayerExpertBytes(l)) + cost.EdgeBytes(1);
        var plannerActivations = cost.ActivationBytes();
        var tokens = new TokenCounts(shape.Workload.VideoTokens, shape.Workload.AudioTokens, shape.Workload.TextTokens);
        var shardWeights = ShardMemoryEstimator.ParameterBytes(shape.Video, shape.Audio, shape.Bridge, 0, shape.Video.NumLayers, policy);
        var shardActivations = ShardMemoryEstimator.Activations(shape.Video, shape.Audio, shape.Bridge, 0, shape.Video.NumLayers, tokens, policy);
        return new JsonObject
        {
            ["planner_weight_bytes"] = plannerWeights,
            ["planner_activation_bytes"] = plannerActivations,
            ["planner_total_bytes"] = plannerWeights + plannerActivations,
            ["shard_estimator_block_weight_bytes"] = shardWeights,
            ["shard_estimator_activation_bytes"] = shardActivations.TotalBytes,
            ["shard_estimator_total_bytes"] = shardWeights + shardActivations.TotalBytes,
        };
    }

    /// <summary>Dense bf16 GEMM rate (n×n×n, median of 10 after 3 warm-ups), the ceiling the compute floor uses.</summary>
    private static double GemmRate(ProbeContext context, int n)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(3, context.Device);
        var a = torch.randn([n, n], dtype: torch.ScalarType.BFloat16, device: context.Device, generator: generator);
        var b = torch.randn([n, n], dtype: torch.ScalarType.BFloat16, device: context.Device, generator: generator);
        var times = new List<double>();
        for (var i = 0; i < 13; i++)
        {
            context.Synchronize();
            var clock = Stopwatch.StartNew();
            using (torch.matmul(a, b))
            {
                context.Synchronize();
            }

            if (i >= 3)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        var median = times.Order().ElementAt(times.Count / 2);
        return 2.0 * n * n * n / median / 1e12;
    }

    /// <summary>
    /// One self-attention call at the shape's real size (bf16, [1, heads, video tokens, 128]) with libtorch's default
    /// SDPA choice and with the flash kernel switched off (TorchSharp can toggle flash and math only), to show which
    /// backend the model gets.
    /// </summary>
    private static JsonObject AttentionBackends(ProbeContext context, MovaStepShape shape)
    {
        var result = new JsonObject();
        var heads = shape.Video.NumHeads;
        var headDim = shape.Video.Dim / heads;
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(5, context.Device);
        var q = torch.randn([1, heads, shape.Workload.VideoTokens, headDim], dtype: torch.ScalarType.BFloat16, device: context.Device, generator: generator);
        result["shape"] = $"[1, {heads}, {shape.Workload.VideoTokens}, {headDim}] bf16";
        result["default_ms"] = AttentionMilliseconds(context, q);
        if (context.IsCuda)
        {
            var flash = torch.backends.cuda.flash_sdp_enabled();
            torch.backends.cuda.enable_flash_sdp(false);
            try
            {
                result["flash_disabled_ms"] = AttentionMilliseconds(context, q);
            }
            catch (System.Runtime.InteropServices.ExternalException failure)
            {
                result["flash_disabled_error"] = failure.Message.Split('\n')[0];
            }
            finally
            {
                torch.backends.cuda.enable_flash_sdp(flash);
            }
        }

        return result;
    }

    private static double AttentionMilliseconds(ProbeContext context, torch.Tensor q)
    {
        var times = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            context.Synchronize();
            var clock = Stopwatch.StartNew();
            using (torch.nn.functional.scaled_dot_product_attention(q, q, q))
            {
                context.Synchronize();
            }

            if (i >= 1)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return Math.Round(times.Order().ElementAt(times.Count / 2), 3);
    }
}
