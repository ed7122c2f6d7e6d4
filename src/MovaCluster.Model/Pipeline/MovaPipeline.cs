using MovaCluster.Model.Caching;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Pipeline;

/// <summary>
/// MOVA image+text → video+audio end to end: prompt → tokens → UMT5 (cached) → image condition through the video
/// VAE encoder → seeded noise → <see cref="MovaSampler"/> over an <see cref="IStepExecutor"/> → video VAE decode
/// (chunked) to uint8 RGB frames and DAC decode to 48 kHz (checkpoint rate) mono PCM.
/// </summary>
public sealed class MovaPipeline : IDisposable
{
    private readonly PromptEncoder _promptEncoder;
    private readonly WanVideoVae _videoVae;
    private readonly DacAudioDecoder _audioDecoder;
    private readonly IStepExecutor _executor;
    private readonly FlowMatchSchedulerConfig _scheduler;
    private readonly double _boundaryRatio;
    private readonly IDisposable[] _owned;

    public MovaPipeline(
        PromptEncoder promptEncoder,
        WanVideoVae videoVae,
        DacAudioDecoder audioDecoder,
        IStepExecutor executor,
        FlowMatchSchedulerConfig scheduler,
        double boundaryRatio,
        Device device,
        params IDisposable[] owned)
    {
        _promptEncoder = promptEncoder ?? throw new ArgumentNullException(nameof(promptEncoder));
        _videoVae = videoVae ?? throw new ArgumentNullException(nameof(videoVae));
        _audioDecoder = audioDecoder ?? throw new ArgumentNullException(nameof(audioDecoder));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _boundaryRatio = boundaryRatio;
        Device = device ?? throw new ArgumentNullException(nameof(device));
        _owned = owned;
    }

    public Device Device { get; }

    /// <summary>True when the executor runs the step and block cache (requests with <see cref="MovaGenerationRequest.Cache"/>).</summary>
    public bool SupportsCache => _executor is ICachingStepExecutor;

    /// <summary>The checkpoint's TeaCache polynomials the executor uses (null: no step-level caching).</summary>
    public TeaCacheCoefficients? TeaCache => (_executor as ICachingStepExecutor)?.TeaCache;

    /// <summary>
    /// Loads every component (strict key matching) onto <paramref name="device"/> and runs the denoiser locally, with the
    /// checkpoint's TeaCache polynomials (<c>teacache.json</c> in the denoiser folder) when it has them.
    /// The codecs run in float32 (the DAC always does; the video VAE and UMT5 follow <paramref name="policy"/>).
    /// </summary>
    public static MovaPipeline Load(
        MovaComponentPaths paths, DTypePolicy policy, Device device, TextEmbeddingCache cache, int maxSequenceLength = 512,
        ByteFallbackMode byteFallback = ByteFallbackMode.FromTokenizerFiles)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(policy);
        var denoiser = MovaDenoiserLoader.Load(paths.DenoiserRoot, policy, device);
        TeaCacheCoefficients? teaCache;
        try
        {
            teaCache = TeaCacheCoefficients.TryLoad(paths.DenoiserRoot);
        }
        catch
        {
            denoiser.Dispose();
            throw;
        }

        return Load(paths, policy, device, cache, new LocalStepExecutor(denoiser, teaCache), denoiser, maxSequenceLength, byteFallback);
    }

    /// <summary>
    /// Loads the text encoder, tokenizer, codecs and scheduler onto <paramref name="device"/> and runs the denoising
    /// steps on <paramref name="executor"/> (a plan's devices, say), owning <paramref name="executorOwner"/> from
    /// here on: it is disposed with the pipeline, or at once when loading fails.
    /// </summary>
    public static MovaPipeline Load(
        MovaComponentPaths paths, DTypePolicy policy, Device device, TextEmbeddingCache cache, IStepExecutor executor,
        IDisposable executorOwner, int maxSequenceLength = 512, ByteFallbackMode byteFallback = ByteFallbackMode.FromTokenizerFiles)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(executorOwner);
        var owned = new List<IDisposable> { executorOwner };
        try
        {
            var textEncoder = Umt5EncoderModel.FromFolder(paths.TextEncoder, device, policy.WeightDType);
            owned.Add(textEncoder);
            var videoVae = WanVideoVae.FromFolder(paths.VideoVae, device, policy.WeightDType);
            owned.Add(videoVae);
            var audioDecoder = DacAudioDecoder.FromFolder(paths.AudioVae, device);
            owned.Add(audioDecoder);
            var tokenizer = Umt5PromptTokenizer.FromFolder(paths.Tokenizer, byteFallback);
            var scheduler = paths.SchedulerConfig is not null && File.Exists(paths.SchedulerConfig)
                ? ConfigJson.Load<FlowMatchSchedulerConfig>(paths.SchedulerConfig)
                : FlowMatchSchedulerConfig.Mova;
            double boundary = paths.ModelIndex is not null && File.Exists(paths.ModelIndex)
                ? ConfigJson.Load<MovaPipelineConfig>(paths.ModelIndex).BoundaryRatio
                : 0.9;
            var promptEncoder = new PromptEncoder(tokenizer, textEncoder, cache, Path.GetFullPath(paths.TextEncoder), maxSequenceLength);
            return new MovaPipeline(promptEncoder, videoVae, audioDecoder, executor, scheduler, boundary, device, [.. owned]);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    /// <summary>Audio latent frames per second of generated clips (sample rate over the DAC hop).</summary>
    public double AudioLatentFramesPerSecond => (double)_audioDecoder.SampleRate / _audioDecoder.HopLength;

    /// <summary>Runs one request to frames and PCM.</summary>
    public MovaGenerationResult Generate(MovaGenerationRequest request, Action<StepProgress>? onStep = null, CancellationToken cancellationToken = default) =>
        Generate(request, new MovaGenerationHooks { OnStep = onStep }, cancellationToken);

    /// <summary>
    /// Runs one request to frames and PCM, resuming from <see cref="MovaGenerationHooks.Resume"/> when given (the
    /// prompt, image condition and noise shapes are rebuilt, so a resumed run equals an uninterrupted one).
    /// </summary>
    public MovaGenerationResult Generate(MovaGenerationRequest request, MovaGenerationHooks hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(hooks);
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid generation request: {string.Join(" ", errors)}", nameof(request));
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        hooks.OnPhase?.Invoke(GenerationPhase.Encoding);
        bool useCfg = request.CfgScale != 1.0;
        var prompt = _promptEncoder.Encode(request.Prompt, Device);
        var negative = useCfg ? _promptEncoder.Encode(request.NegativePrompt, Device, isNegativePrompt: true) : prompt;
        var condition = _videoVae.EncodeImageCondition(request.ReferenceImage, request.NumFrames);

        long latentFrames = ((request.NumFrames - 1) / _videoVae.Config.ScaleFactorTemporal) + 1;
        int spatial = _videoVae.Config.ScaleFactorSpatial;
        long samples = (long)(_audioDecoder.SampleRate * request.NumFrames / request.Fps);
        long audioFrames = ((samples - 1) / _audioDecoder.HopLength) + 1;
        using var generator = new Generator((ulong)request.Seed);
        var videoNoise = torch.randn([1, _videoVae.Config.ZDim, latentFrames, request.Height / spatial, request.Width / spatial], generator: generator).to(Device);
        var audioNoise = torch.randn([1, _audioDecoder.Config.EffectiveLatentDim, audioFrames], generator: generator).to(Device);
        if (hooks.Resume is { } resume)
        {
            RequireShape("video", resume.VideoLatents, videoNoise);
            RequireShape("audio", resume.AudioLatents, audioNoise);
        }

        var options = new SamplerOptions
        {
            NumInferenceSteps = request.NumInferenceSteps,
            CfgScale = request.CfgScale,
            BoundaryRatio = _boundaryRatio,
            Scheduler = _scheduler,
            Cache = request.Cache,
            CacheCalibration = hooks.CacheCalibration,
        };
        var experts = ExpertSchedule.For(
            new FlowMatchPairSchedule(_scheduler, request.NumInferenceSteps).Timesteps, _boundaryRatio, _scheduler.NumTrainTimesteps);
        var start = hooks.Resume?.NextStep ?? 0;
        if (start < experts.Count)
        {
            hooks.OnPhase?.Invoke(PhaseOf(experts[start]));
        }

        void OnStep(StepProgress progress)
        {
            hooks.OnStep?.Invoke(progress);
            var next = progress.StepIndex + 1;
            if (next < experts.Count && experts[next] != progress.Expert)
            {
                hooks.OnPhase?.Invoke(PhaseOf(experts[next]));
            }
        }

        using var result = MovaSampler.Run(
            _executor, new SamplingRequest(videoNoise, audioNoise, condition, prompt, negative, request.Fps), options, hooks.Resume, OnStep, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        hooks.OnPhase?.Invoke(GenerationPhase.Decoding);
        var latents = _videoVae.Denormalize(result.VideoLatents);
        var video = _videoVae.DecodeToRgb(latents);
        var audio = _audioDecoder.DecodeToPcm(result.AudioLatents);
        return new MovaGenerationResult(video, audio, _audioDecoder.SampleRate, request.Fps) { Cache = result.Cache };
    }

    private static GenerationPhase PhaseOf(VideoExpert expert) =>
        expert == VideoExpert.HighNoise ? GenerationPhase.DenoisingHighNoise : GenerationPhase.DenoisingLowNoise;

    private static void RequireShape(string name, Tensor resumed, Tensor expected)
    {
        if (!resumed.shape.SequenceEqual(expected.shape))
        {
            throw new ArgumentException(
                $"The resume state's {name} latents are [{string.Join(", ", resumed.shape)}] but this request needs [{string.Join(", ", expected.shape)}].");
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
