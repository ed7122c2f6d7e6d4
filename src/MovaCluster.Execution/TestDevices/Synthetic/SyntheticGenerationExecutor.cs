using System.Diagnostics;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.Lora;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.TestDevices.Synthetic;

/// <summary>
/// A test device with no model: it evolves small video and audio "latents" with deterministic float arithmetic, one
/// update per step, and turns them into frames and samples. It exists for scheduling-only tests and for measuring
/// orchestration overhead (with a zero step delay it is a zero-cost device). Its output is synthetic, and its model
/// name says so. Like the real sampler it starts from seeded noise, is deterministic afterwards, honours
/// cancellation at step boundaries and resumes from a checkpoint to the same result. A job with a cache tier follows
/// the tier's forecast (<see cref="CacheForecast.Schedule"/> on MOVA's stack, with CFG): each step takes the step delay
/// times the share of layers the forecast computes, and reports the cache's work as MOVA would, so the scheduling side
/// (ETA, queue estimates, the API's report) can be tested without a model. A job's LoRA adapters (through
/// <paramref name="loras"/>: the real device cache and merge policy, with modeled costs) shift its latents by a
/// pattern drawn from each digest, scaled by the strength, the same merged or not; unmerged adapters lengthen each
/// step by <see cref="SyntheticExecutorOptions.LoraUnmergedStepOverhead"/>.
/// </summary>
public sealed class SyntheticGenerationExecutor(SyntheticExecutorOptions options, CacheTiers? tiers = null, ILoraApplier? loras = null) : IGenerationExecutor
{
    public const string ModelName = "synthetic (no model; synthetic output)";

    private const int PassesPerStep = 2;

    private readonly CacheTiers _tiers = tiers ?? CacheTiers.Default;

    public ExecutorDescription Description { get; } = new()
    {
        ModelName = ModelName,
        OutputIsNoise = true,
        MaxVolume = options.MaxVolume,
        MemoryBytes = 4L * (options.VideoLatentValues + options.AudioLatentValues),
    };

    public GenerationOutput Execute(GenerationJob job, IGenerationObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (loras is null && job.Request.Loras.Count > 0)
        {
            throw new NotSupportedException("This executor applies no LoRA adapters.");
        }

        using var lora = loras?.Begin(job) ?? LoraJobScope.None;
        var shifts = job.Request.Loras.Select(l => (Pattern: Pattern(l.Digest, options.VideoLatentValues), l.Strength)).ToList();
        var stepDelay = lora.Merged ? options.StepDelay : options.StepDelay * (1 + (options.LoraUnmergedStepOverhead * lora.Adapters));
        observer.OnPhase(GenerationPhase.Encoding);
        var (video, audio, start) = job.ResumeFrom is { } resume
            ? ((float[])resume.Video.Values.Clone(), (float[])resume.Audio.Values.Clone(), resume.CompletedSteps)
            : (Noise(job.Seed, options.VideoLatentValues), Noise(job.Seed ^ 0x5A5A5A5A, options.AudioLatentValues), 0);
        var boundary = HighNoiseSteps(job.Request.Steps);
        var settings = job.Request.Cache is { Length: > 0 } tier ? CachePolicy.Tier(tier).Resolve(_tiers) : null;
        var schedule = CacheForecast.Schedule(settings, job.Request.Steps);
        var work = new CacheWorkEstimate(settings, job.Request.Steps);
        for (var done = 0; done < start; done++)
        {
            work.Observe(done, schedule[done]);
        }

        VideoExpert? expert = null;
        for (var step = start; step < job.Request.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stage = step < boundary ? VideoExpert.HighNoise : VideoExpert.LowNoise;
            if (stage != expert)
            {
                expert = stage;
                observer.OnPhase(stage == VideoExpert.HighNoise ? GenerationPhase.DenoisingHighNoise : GenerationPhase.DenoisingLowNoise);
            }

            var clock = Stopwatch.StartNew();
            Advance(video, step, job.Request.Steps, 0.5f);
            Advance(audio, step, job.Request.Steps, 0.8f);
            foreach (var (pattern, strength) in shifts)
            {
                Shift(video, pattern, strength, job.Request.Steps);
            }

            if (stepDelay > TimeSpan.Zero && schedule[step] > 0)
            {
                Thread.Sleep(stepDelay * schedule[step]);
            }

            work.Observe(step, schedule[step]);
            observer.OnStep(new SyntheticStepState(step + 1, job.Request.Steps, stage, clock.Elapsed, video, audio, lora.Merged)
            {
                Cache = settings is null ? null : Usage(settings.Name, schedule, step + 1),
                Work = schedule[step],
                RemainingWork = work.Remaining(step + 1),
            });
        }

        cancellationToken.ThrowIfCancellationRequested();
        observer.OnPhase(GenerationPhase.Decoding);
        return Decode(job.Request, video, audio);
    }

    public void Dispose() => loras?.Dispose();

    /// <summary>The cache's work over the first <paramref name="steps"/> steps of a forecast schedule, on MOVA's stack with CFG.</summary>
    private static CacheUsage Usage(string tier, IReadOnlyList<double> schedule, int steps)
    {
        var done = schedule.Take(steps).ToList();
        const int Layers = CacheForecast.MovaLayers * PassesPerStep;
        return new CacheUsage
        {
            Tier = tier,
            Steps = steps,
            StepsComputed = done.Count(f => f > 0),
            Passes = steps * PassesPerStep,
            PassesComputed = done.Count(f => f >= 1) * PassesPerStep,
            PassesBlocksReused = done.Count(f => f is > 0 and < 1) * PassesPerStep,
            PassesStepReused = done.Count(f => f <= 0) * PassesPerStep,
            LayerEvaluations = (long)steps * Layers,
            LayerEvaluationsComputed = done.Sum(f => (long)Math.Round(f * Layers)),
        };
    }

    /// <summary>Half the steps on each expert, so tests see both phases.</summary>
    public static int HighNoiseSteps(int steps) => (steps + 1) / 2;

    private static float[] Noise(long seed, int count)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Values in [-1, 1) drawn from the digest: the same adapter shifts every job the same way.</summary>
    private static float[] Pattern(string digest, int count)
    {
        var random = new Random(Convert.ToInt32(digest[..7], 16));
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    private static void Shift(float[] latents, float[] pattern, double strength, int steps)
    {
        var scale = (float)(0.1 * strength / steps);
        for (var i = 0; i < latents.Length; i++)
        {
            latents[i] += scale * pattern[i];
        }
    }

    private static void Advance(float[] latents, int step, int steps, float gain)
    {
        var dt = 1f / steps;
        var t = 1f - (float)step / steps;
        for (var i = 0; i < latents.Length; i++)
        {
            var x = latents[i];
            latents[i] = x + (dt * (MathF.Tanh((gain * x) + t) - x));
        }
    }

    private static GenerationOutput Decode(GenerationRequest request, float[] video, float[] audio)
    {
        var pixels = new byte[checked(request.Width * request.Height * request.FrameCount * 3)];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = ToByte(video[i % video.Length] + (0.001f * (i / video.Length)));
        }

        const int SampleRate = 16000;
        var samples = new float[Math.Max(1, (int)(request.FrameCount * SampleRate / (double)request.FramesPerSecond))];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Math.Clamp(audio[i % audio.Length], -1f, 1f);
        }

        return new GenerationOutput
        {
            Width = request.Width,
            Height = request.Height,
            FramesPerSecond = request.FramesPerSecond,
            VideoFrames = GenerationOutput.FramesOf(pixels, request.Width, request.Height),
            AudioSamples = samples,
            AudioSampleRate = SampleRate,
            AudioChannels = 1,
        };
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round((value + 1f) * 127.5f), 0, 255);

    /// <summary>
    /// The simulation's state after a step. Its preview treats the first values as a [16, 1, side, side] video latent
    /// and all audio values as a one-channel audio latent at 50 frames per second.
    /// </summary>
    private sealed class SyntheticStepState(
        int completed, int total, VideoExpert expert, TimeSpan duration, float[] video, float[] audio, bool loraMerged) : IDenoiseStepState
    {
        public int CompletedSteps => completed;

        public int TotalSteps => total;

        public VideoExpert Expert => expert;

        public TimeSpan Duration => duration;

        public CacheUsage? Cache { get; init; }

        public double Work { get; init; } = 1;

        public double RemainingWork { get; init; }

        public DenoiseCheckpoint CaptureCheckpoint() => new(
            completed,
            new LatentBuffer([video.Length], (float[])video.Clone()),
            new LatentBuffer([audio.Length], (float[])audio.Clone()),
            loraMerged);

        public PreviewLatents CapturePreview(int maxVideoFrames)
        {
            const int Channels = 16;
            var side = (int)Math.Sqrt(video.Length / Channels);
            return new PreviewLatents(
                new LatentBuffer([Channels, 1, side, side], video[..(Channels * side * side)]),
                new LatentBuffer([1, audio.Length], (float[])audio.Clone()),
                50.0);
        }
    }
}
