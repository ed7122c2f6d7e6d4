using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Lora;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Execution.Mova;

/// <summary>
/// Runs jobs through a loaded <see cref="MovaPipeline"/> on one device: reference image to MOVA's input tensor,
/// resume from a checkpoint through <see cref="SamplerState"/>, phases and steps reported to the observer (with
/// checkpoint and preview capture from the live latents), then frames and PCM handed back for muxing. The job's LoRA
/// set is put in force through <paramref name="loras"/> for the run and ended after it.
/// </summary>
public sealed class MovaGenerationExecutor(
    MovaPipeline pipeline, ReferenceImageLoader images, ExecutorDescription description, IDisposable? owned = null, CacheTiers? tiers = null,
    ILoraApplier? loras = null) : IGenerationExecutor
{
    /// <summary>Says why a job's cache tier was not applied on an executor that cannot run the cache.</summary>
    public const string CacheUnsupportedNote = "this worker's executor (a multi-device plan) does not run the step and block cache; the job ran uncached";

    private readonly CacheTiers _tiers = tiers ?? CacheTiers.Default;

    public ExecutorDescription Description { get; } = description;

    public GenerationOutput Execute(GenerationJob job, IGenerationObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(observer);
        using var scope = torch.NewDisposeScope();
        var asked = job.Request;
        if (asked.Volume > Description.MaxVolume)
        {
            throw new ArgumentException($"{asked.Width}x{asked.Height}x{asked.FrameCount} exceeds this worker's limit of {Description.MaxVolume} pixels x frames.");
        }

        // An unknown tier throws ArgumentException: the job fails with the known tiers named, before any work.
        var settings = asked.Cache is { Length: > 0 } tier ? CachePolicy.Tier(tier).Resolve(_tiers) : null;
        string? note = null;
        if (settings is not null && !pipeline.SupportsCache)
        {
            (settings, note) = (null, CacheUnsupportedNote);
        }

        if (loras is null && asked.Loras.Count > 0)
        {
            throw new NotSupportedException("This executor applies no LoRA adapters.");
        }

        var request = new MovaGenerationRequest
        {
            Prompt = asked.Prompt,
            NegativePrompt = string.IsNullOrEmpty(asked.NegativePrompt) ? MovaGenerationRequest.DefaultNegativePrompt : asked.NegativePrompt,
            ReferenceImage = ReferenceImage(asked),
            Width = asked.Width,
            Height = asked.Height,
            NumFrames = asked.FrameCount,
            Fps = asked.FramesPerSecond,
            NumInferenceSteps = asked.Steps,
            CfgScale = asked.GuidanceScale,
            Seed = job.Seed,
            Cache = settings,
        };
        using var resume = job.ResumeFrom is { } checkpoint
            ? checkpoint.CacheState is { } cacheState && settings is not null
                ? SamplerStateBytes.Read(cacheState, pipeline.Device)
                : new SamplerState(
                    checkpoint.CompletedSteps,
                    LatentTensors.ToTensor(checkpoint.Video, pipeline.Device),
                    LatentTensors.ToTensor(checkpoint.Audio, pipeline.Device))
            : null;
        var work = new CacheWorkEstimate(settings, asked.Steps);
        var totals = resume?.Cache?.Totals ?? CacheTotals.Zero;
        using var lora = loras?.Begin(job) ?? LoraJobScope.None;
        var clock = Stopwatch.StartNew();
        var hooks = new MovaGenerationHooks
        {
            Resume = resume,
            OnPhase = phase =>
            {
                observer.OnPhase(phase);
                clock.Restart();
            },
            OnStep = progress =>
            {
                CacheUsage? usage = null;
                var stepWork = 1.0;
                if (progress.Cache is { } record)
                {
                    totals = totals.Add(record);
                    stepWork = record.LayerEvaluations == 0 ? 1 : (double)record.LayersComputed / record.LayerEvaluations;
                    work.Observe(progress.StepIndex, stepWork);
                    usage = Usage(settings!.Name, totals, null);
                }
                else if (note is not null)
                {
                    usage = new CacheUsage { Tier = CachePolicy.OffName, Steps = progress.StepIndex + 1, StepsComputed = progress.StepIndex + 1, Note = note };
                }

                observer.OnStep(new MovaStepState(progress, clock.Elapsed, pipeline.AudioLatentFramesPerSecond, lora.Merged)
                {
                    Cache = usage,
                    Work = stepWork,
                    RemainingWork = work.Remaining(progress.StepIndex + 1),
                });
                clock.Restart();
            },
        };
        var result = pipeline.Generate(request, hooks, cancellationToken);
        return new GenerationOutput
        {
            Width = result.Video.Width,
            Height = result.Video.Height,
            FramesPerSecond = result.Fps,
            VideoFrames = [.. result.Video.Frames.Select(frame => (ReadOnlyMemory<byte>)frame)],
            AudioSamples = result.Audio,
            AudioSampleRate = result.SampleRate,
            AudioChannels = 1,
        };
    }

    /// <summary>The contract's view of a cache's totals.</summary>
    public static CacheUsage Usage(string tier, CacheTotals totals, string? note) => new()
    {
        Tier = tier,
        Steps = totals.Steps,
        StepsComputed = totals.StepsComputed,
        Passes = totals.Passes,
        PassesComputed = totals.PassesComputed,
        PassesBlocksReused = totals.PassesBlocksReused,
        PassesStepReused = totals.PassesStepReused,
        LayerEvaluations = totals.LayerEvaluations,
        LayerEvaluationsComputed = totals.LayerEvaluationsComputed,
        Note = note,
    };

    public void Dispose()
    {
        // Adapters first: on a plan they are released on the stage threads the pipeline stops.
        loras?.Dispose();
        pipeline.Dispose();
        owned?.Dispose();
    }

    /// <summary>MOVA always conditions on an image; a job without one starts from a mid-grey frame (all zeros in [-1, 1]).</summary>
    private torch.Tensor ReferenceImage(GenerationRequest request) => request.ReferenceImage is { Length: > 0 } encoded
        ? images.Load(encoded, request.Width, request.Height, pipeline.Device)
        : torch.zeros([1, 3, request.Height, request.Width], device: pipeline.Device);
}
