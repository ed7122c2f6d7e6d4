using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Sampling;

/// <summary>
/// The official sampling loop (MOVA.__call__ from the noise on): expert switch, text CFG in float32, snapped
/// flow-match updates for video and audio, a callback after every step and cancellation at step boundaries. With
/// <see cref="SamplerOptions.Cache"/> set, the passes run under the step and block cache (see <see cref="CachedPass"/>).
/// </summary>
public static class MovaSampler
{
    /// <summary>
    /// Runs steps from the start, or from <paramref name="resume"/> (whose tensors the caller keeps), and returns
    /// the final latents. Throws <see cref="OperationCanceledException"/> at a step boundary when cancelled; the
    /// last <paramref name="onStep"/> report then holds the state to resume from.
    /// </summary>
    public static SamplingResult Run(
        IStepExecutor executor,
        SamplingRequest request,
        SamplerOptions options,
        SamplerState? resume = null,
        Action<StepProgress>? onStep = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cache = StartCache(executor, request, options, resume, cancellationToken);
        var (video, audio) = Loop(executor, request, options, resume, int.MaxValue, cache, onStep, cancellationToken);
        return new SamplingResult(video, audio) { Cache = cache?.Report() };
    }

    /// <summary>
    /// Runs steps from the start (or <paramref name="resume"/>) up to, not including, <paramref name="endStep"/> and
    /// returns the resumable state there (the caller disposes it): how an expert-stage group hands a job to the next
    /// group. Resuming the state with <see cref="Run"/> gives exactly the uninterrupted run.
    /// </summary>
    public static SamplerState RunUntil(
        IStepExecutor executor,
        SamplingRequest request,
        SamplerOptions options,
        int endStep,
        SamplerState? resume = null,
        Action<StepProgress>? onStep = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var start = resume?.NextStep ?? 0;
        var count = new FlowMatchPairSchedule(options.Scheduler, options.NumInferenceSteps).Count;
        if (endStep < start || endStep > count)
        {
            throw new ArgumentOutOfRangeException(nameof(endStep), endStep, $"The end step must be within [{start}, {count}].");
        }

        using var cache = StartCache(executor, request, options, resume, cancellationToken);
        var (video, audio) = Loop(executor, request, options, resume, endStep, cache, onStep, cancellationToken);
        return new SamplerState(endStep, video, audio) { Cache = cache?.Checkpoint() };
    }

    /// <summary>Index of the first step the low-noise expert runs (the step count when it never runs).</summary>
    public static int FirstLowNoiseStep(SamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var schedule = new FlowMatchPairSchedule(options.Scheduler, options.NumInferenceSteps);
        var experts = ExpertSchedule.For(schedule.Timesteps, options.BoundaryRatio, options.Scheduler.NumTrainTimesteps);
        var first = experts.ToList().IndexOf(VideoExpert.LowNoise);
        return first < 0 ? experts.Count : first;
    }

    /// <summary>The StepRequest of step <paramref name="step"/> from the latents entering it (the same for a step and its cache rebuild).</summary>
    internal static StepRequest StepRequestFor(
        SamplingRequest request, FlowMatchPairSchedule schedule, VideoExpert expert, int step, bool useCfg, torch.Tensor video, torch.Tensor audio)
    {
        var modelInput = torch.cat([video, request.Condition.to(video.device)], 1);
        var timestep = schedule.Timesteps[step];
        return new StepRequest(
            step, expert, modelInput, audio, request.PromptEmbeddings, useCfg ? request.NegativePromptEmbeddings : null, timestep, timestep, request.VideoFps);
    }

    private static SamplingCache? StartCache(IStepExecutor executor, SamplingRequest request, SamplerOptions options, SamplerState? resume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(request);
        var schedule = new FlowMatchPairSchedule(options.Scheduler, options.NumInferenceSteps);
        var experts = ExpertSchedule.For(schedule.Timesteps, options.BoundaryRatio, options.Scheduler.NumTrainTimesteps);
        return SamplingCache.Start(executor, request, options, schedule, experts, resume, cancellationToken);
    }

    private static (torch.Tensor Video, torch.Tensor Audio) Loop(
        IStepExecutor executor,
        SamplingRequest request,
        SamplerOptions options,
        SamplerState? resume,
        int endStep,
        SamplingCache? cache,
        Action<StepProgress>? onStep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(request);
        var schedule = new FlowMatchPairSchedule(options.Scheduler, options.NumInferenceSteps);
        var experts = ExpertSchedule.For(schedule.Timesteps, options.BoundaryRatio, options.Scheduler.NumTrainTimesteps);
        var start = resume?.NextStep ?? 0;
        if (start < 0 || start > schedule.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(resume), start, $"Resume step must be within [0, {schedule.Count}].");
        }

        var end = Math.Min(endStep, schedule.Count);
        var useCfg = options.CfgScale != 1.0;
        var video = (resume?.VideoLatents ?? request.VideoNoise).to(torch.ScalarType.Float32, copy: true);
        var audio = (resume?.AudioLatents ?? request.AudioNoise).to(torch.ScalarType.Float32, copy: true);
        try
        {
            for (var step = start; step < end; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stepCache = cache?.ForStep(step, experts[step]);
                var (nextVideo, nextAudio) = RunStep(executor, request, schedule, experts[step], step, useCfg, options.CfgScale, video, audio, stepCache, cancellationToken);
                var record = cache?.Complete(step, experts[step], video, audio);
                video.Dispose();
                audio.Dispose();
                (video, audio) = (nextVideo, nextAudio);
                onStep?.Invoke(new StepProgress(step, schedule.Count, schedule.Timesteps[step], experts[step], video, audio) { Cache = record, CacheSource = cache });
            }

            return (video, audio);
        }
        catch
        {
            video.Dispose();
            audio.Dispose();
            throw;
        }
    }

    private static (torch.Tensor Video, torch.Tensor Audio) RunStep(
        IStepExecutor executor,
        SamplingRequest request,
        FlowMatchPairSchedule schedule,
        VideoExpert expert,
        int step,
        bool useCfg,
        double cfgScale,
        torch.Tensor video,
        torch.Tensor audio,
        StepCache? cache,
        CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var stepRequest = StepRequestFor(request, schedule, expert, step, useCfg, video, audio) with { Cache = cache };
        using var velocities = executor.Evaluate(stepRequest, cancellationToken);
        var videoVelocity = Guide(velocities.Positive.Video, velocities.Negative?.Video, cfgScale, video.device);
        var audioVelocity = Guide(velocities.Positive.Audio, velocities.Negative?.Audio, cfgScale, audio.device);
        var nextVideo = schedule.Step(videoVelocity, step, video);
        var nextAudio = schedule.Step(audioVelocity, step, audio);
        return (nextVideo.MoveToOuterDisposeScope(), nextAudio.MoveToOuterDisposeScope());
    }

    // neg + cfg·(pos − neg) in float32, as the official pipeline writes it.
    private static torch.Tensor Guide(torch.Tensor positive, torch.Tensor? negative, double cfgScale, torch.Device device)
    {
        var pos = positive.to(torch.ScalarType.Float32, device);
        if (negative is null)
        {
            return pos;
        }

        var neg = negative.to(torch.ScalarType.Float32, device);
        return neg + (pos - neg).mul(cfgScale);
    }
}
