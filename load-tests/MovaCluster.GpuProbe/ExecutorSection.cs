using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.GpuProbe;

/// <summary>
/// Tiny jobs through the real worker path: a <see cref="DeviceWorker"/> on the device (its own dedicated thread,
/// bound to the device) building the MOVA executor over the tiny random-weights model, running whole jobs (UMT5,
/// VAE condition, sampler, VAE and DAC decode) in float32 and in bf16. After each job the device's memory is read
/// from the worker's thread (the worker releases cached blocks after every job), then an impossible allocation on the
/// device checks that a libtorch failure becomes a failed job with a clear message and that the worker still serves.
/// </summary>
internal sealed class ExecutorSection : IProbeSection
{
    public string Name => "executor";

    public JsonObject Run(ProbeContext context)
    {
        var cache = Path.Combine(Path.GetTempPath(), "mova-gpu-probe-models");
        var result = new JsonObject { ["tiny_model_cache"] = cache };
        foreach (var dtype in new[] { "float32", "bfloat16" })
        {
            ProbeContext.Log($"executor: tiny jobs in {dtype}");
            result[dtype] = RunJobs(context, cache, dtype).GetAwaiter().GetResult();
        }

        return result;
    }

    private static async Task<JsonObject> RunJobs(ProbeContext context, string cache, string dtype)
    {
        var options = new ExecutionOptions { Executor = ExecutorKind.Mova };
        options.Mova.TinyModelCache = cache;
        options.Mova.WeightDType = dtype;
        options.Mova.MaxPromptTokens = 32;
        var factory = new MovaExecutorFactory(
            Options.Create(options), Options.Create(new TextEmbeddingCacheOptions()), Options.Create(new ReferenceImageOptions()), NullLogger<MovaExecutorFactory>.Instance);
        var load = Stopwatch.StartNew();
        await using var worker = new DeviceWorker(context.DeviceContext, factory, NullLogger<DeviceWorker>.Instance);
        var description = await worker.Ready.ConfigureAwait(false);
        var result = new JsonObject
        {
            ["model"] = description.ModelName,
            ["load_seconds"] = Math.Round(load.Elapsed.TotalSeconds, 3),
            ["memory_after_load"] = await MemoryNow(worker).ConfigureAwait(false),
        };

        var jobs = new JsonArray();
        for (var i = 0; i < 2; i++)
        {
            jobs.Add(await Job(worker, $"probe-{dtype}-{i}", 100 + i).ConfigureAwait(false));
        }

        result["jobs"] = jobs;
        result["failure"] = await ImpossibleAllocation(worker).ConfigureAwait(false);
        result["job_after_failure"] = await Job(worker, $"probe-{dtype}-after-failure", 200).ConfigureAwait(false);
        return result;
    }

    private static async Task<JsonObject> Job(DeviceWorker worker, string id, long seed)
    {
        var job = new GenerationJob
        {
            JobId = id,
            Request = new GenerationRequest
            {
                Prompt = "A cat plays the piano in the rain.", NegativePrompt = "blurry",
                Width = 32, Height = 32, FrameCount = 9, FramesPerSecond = 8, Steps = 4, GuidanceScale = 5f,
            },
            Seed = seed,
        };
        var observer = new CountingObserver();
        var clock = Stopwatch.StartNew();
        try
        {
            var output = await worker.RunAsync(executor => executor.Execute(job, observer, CancellationToken.None)).ConfigureAwait(false);
            return new JsonObject
            {
                ["job"] = id,
                ["status"] = "completed",
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
                ["steps"] = observer.Steps,
                ["phases"] = new JsonArray([.. observer.Phases.Select(p => (JsonNode)p.ToString())]),
                ["frames"] = output.FrameCount,
                ["audio_samples"] = output.AudioSamples.Length,
                ["memory_after"] = await MemoryNow(worker).ConfigureAwait(false),
            };
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return new JsonObject { ["job"] = id, ["status"] = "failed", ["message"] = JobMessage(failure) };
        }
    }

    // Far beyond any device: libtorch refuses it, which is what a job too large for the device meets.
    private static async Task<JsonObject> ImpossibleAllocation(DeviceWorker worker)
    {
        try
        {
            await worker.RunAsync(_ =>
            {
                using var huge = torch.empty([1L << 46], torch.ScalarType.Float32, worker.Device.Device);
                return 0;
            }).ConfigureAwait(false);
            return new JsonObject { ["raised"] = false };
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return new JsonObject
            {
                ["raised"] = true,
                ["exception"] = failure.GetType().Name,
                ["kind"] = (failure as DeviceExecutionException)?.Kind.ToString(),
                ["job_message"] = JobMessage(failure),
            };
        }
    }

    // As the worker's job runner reports a failed attempt.
    private static string JobMessage(Exception failure) => $"{failure.GetType().Name}: {failure.Message}";

    private static Task<JsonObject> MemoryNow(DeviceWorker worker) => worker.RunAsync(_ =>
    {
        var memory = new JsonObject { ["rss_bytes"] = MemoryWindow.ResidentSet().Current };
        if (worker.Device.IsCuda && CudaShim.IsAvailable)
        {
            var stats = CudaShim.MemoryStats(worker.Device.Device.index);
            memory["allocated_bytes"] = stats.Allocated;
            memory["reserved_bytes"] = stats.Reserved;
        }

        return memory;
    });

    private sealed class CountingObserver : IGenerationObserver
    {
        public List<GenerationPhase> Phases { get; } = [];

        public int Steps { get; private set; }

        public void OnPhase(GenerationPhase phase) => Phases.Add(phase);

        public void OnStep(IDenoiseStepState step) => Steps = step.CompletedSteps;
    }
}
