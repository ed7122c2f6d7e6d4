using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Lora;
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
    MovaPipeline pipeline, ReferenceImageLoader images, ExecutorDescription description, IDisposable? owned = null, ILoraApplier? loras = null) : IGenerationExecutor
{
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
        };
        using var resume = job.ResumeFrom is { } checkpoint
            ? new SamplerState(
                checkpoint.CompletedSteps,
                LatentTensors.ToTensor(checkpoint.Video, pipeline.Device),
                LatentTensors.ToTensor(checkpoint.Audio, pipeline.Device))
            : null;
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
                observer.OnStep(new MovaStepState(progress, clock.Elapsed, pipeline.AudioLatentFramesPerSecond, lora.Merged));
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
