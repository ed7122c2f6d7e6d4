using MovaCluster.Model.Bridge;
using MovaCluster.Model.Dit;
using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// The MOVA denoising network: both video experts, the audio tower and the bridge, evaluated like the official
/// <c>inference_single_step</c>. The evaluation is split into <see cref="Prepare"/> (stem), <c>RunLayers</c>
/// (any contiguous layer range) and <see cref="Finish"/> (heads) so layer-range shards can run in between.
/// </summary>
public sealed class MovaDenoiser : IDisposable
{
    private readonly WanModel? _highNoise;
    private readonly WanModel? _lowNoise;

    public MovaDenoiser(WanModel highNoise, WanModel lowNoise, WanAudioModel audio, DualTowerConditionalBridge bridge)
        : this(highNoise ?? throw new ArgumentNullException(nameof(highNoise)), lowNoise ?? throw new ArgumentNullException(nameof(lowNoise)), audio, bridge, true)
    {
    }

    private MovaDenoiser(WanModel? highNoise, WanModel? lowNoise, WanAudioModel audio, DualTowerConditionalBridge bridge, bool _)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        var any = highNoise ?? lowNoise ?? throw new ArgumentException("A denoiser needs at least one video expert.", nameof(highNoise));
        if (highNoise is not null && lowNoise is not null && (highNoise.Shape.Dim != lowNoise.Shape.Dim || highNoise.Shape.NumLayers != lowNoise.Shape.NumLayers))
        {
            throw new ArgumentException("The two video experts must have the same width and depth.", nameof(lowNoise));
        }

        if (bridge.Config.VisualHiddenDim != any.Shape.Dim || bridge.Config.AudioHiddenDim != audio.Shape.Dim)
        {
            throw new ArgumentException(
                $"Bridge widths ({bridge.Config.VisualHiddenDim}, {bridge.Config.AudioHiddenDim}) do not match the towers ({any.Shape.Dim}, {audio.Shape.Dim}).",
                nameof(bridge));
        }

        _highNoise = highNoise;
        _lowNoise = lowNoise;
        Audio = audio;
        Bridge = bridge;
    }

    /// <summary>The high-noise expert (video_dit); throws on a denoiser that holds only the low-noise one.</summary>
    public WanModel HighNoise => _highNoise ?? throw new InvalidOperationException("This denoiser holds only the low-noise expert (an expert-stage group).");

    /// <summary>The low-noise expert (video_dit_2); throws on a denoiser that holds only the high-noise one.</summary>
    public WanModel LowNoise => _lowNoise ?? throw new InvalidOperationException("This denoiser holds only the high-noise expert (an expert-stage group).");

    public WanAudioModel Audio { get; }
    public DualTowerConditionalBridge Bridge { get; }

    /// <summary>
    /// A denoiser holding one video expert only, for an expert-stage group that never runs the other one.
    /// Evaluating the other expert throws.
    /// </summary>
    public static MovaDenoiser ForExpert(VideoExpert expert, WanModel video, WanAudioModel audio, DualTowerConditionalBridge bridge)
    {
        ArgumentNullException.ThrowIfNull(video);
        return expert == VideoExpert.HighNoise ? new MovaDenoiser(video, null, audio, bridge, true) : new MovaDenoiser(null, video, audio, bridge, true);
    }

    /// <summary>True when the denoiser holds <paramref name="expert"/>.</summary>
    public bool Holds(VideoExpert expert) => (expert == VideoExpert.HighNoise ? _highNoise : _lowNoise) is not null;

    /// <summary>Layers of the interleaved stack (= video depth).</summary>
    public int LayerCount => (_highNoise ?? _lowNoise)!.Shape.NumLayers;

    /// <summary>Layers that also have an audio block (official min_layers).</summary>
    public int SharedLayerCount => Math.Min(LayerCount, Audio.Shape.NumLayers);

    public WanModel Expert(VideoExpert expert) => expert == VideoExpert.HighNoise ? HighNoise : LowNoise;

    /// <summary>Runs the whole evaluation on the towers' devices; returns float32 predictions.</summary>
    public Velocity Predict(VideoExpert expert, StepInput input, CancellationToken cancellationToken = default)
    {
        using var prepared = Prepare(expert, input);
        using var output = RunLayers(prepared, 0, LayerCount, cancellationToken);
        return Finish(prepared, output);
    }

    /// <summary>Stem: time and text embeddings, patchify, RoPE tables (SPEC 4.5 steps 1-4).</summary>
    public PreparedStep Prepare(VideoExpert expert, StepInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var video = Expert(expert);
        var device = video.Device;
        using var scope = torch.NewDisposeScope();
        using var timestep = torch.tensor(new[] { input.Timestep }, torch.ScalarType.Float32, device);
        using var audioTimestep = torch.tensor(new[] { input.AudioTimestep }, torch.ScalarType.Float32, device);
        var (videoT, videoTMod) = video.EmbedTime(timestep);
        var (audioT, audioTMod) = Audio.EmbedTime(audioTimestep);
        var videoContext = video.EmbedText(input.Context);
        var audioContext = Audio.EmbedText(input.Context);
        var (videoTokens, grid) = video.Patchify(input.VideoInput);
        var audioTokens = Audio.Patchify(input.AudioLatents);
        var videoFreqs = video.RopeFor(grid);
        var audioFreqs = Audio.RopeFor(audioTokens.shape[1]);
        var bridgeRope = Bridge.BuildRope(input.VideoFps, grid, audioTokens.shape[1], video.ComputeDType, device);

        var owned = new List<IDisposable> { videoContext, audioContext, videoTMod, audioTMod };
        if (bridgeRope is not null)
        {
            owned.Add(bridgeRope);
        }

        foreach (var tensor in new[] { videoT, videoTMod, audioT, audioTMod, videoContext, audioContext, videoTokens, audioTokens })
        {
            tensor.DetachFromDisposeScope();
        }

        bridgeRope?.DetachFromDisposeScope();
        var conditioning = new DualTowerConditioning(
            videoContext, audioContext, videoTMod, audioTMod, videoFreqs, audioFreqs, bridgeRope, input.AudioToVideoScale, input.VideoToAudioScale, owned);
        return new PreparedStep(expert, new DualTowerActivations(videoTokens, audioTokens), conditioning, grid, videoT, audioT);
    }

    /// <summary>Layers [start, end) of the stack for a prepared step (new activations; the caller disposes them).</summary>
    public DualTowerActivations RunLayers(PreparedStep prepared, int start, int end, CancellationToken cancellationToken = default) =>
        RunLayers(prepared, prepared?.Activations!, start, end, cancellationToken);

    /// <summary>Layers [start, end) applied to <paramref name="input"/> (e.g. the output of an earlier range).</summary>
    public DualTowerActivations RunLayers(PreparedStep prepared, DualTowerActivations input, int start, int end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, LayerCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        var video = Expert(prepared.Expert);
        if (!video.HasBlocks || !Audio.HasBlocks)
        {
            throw new InvalidOperationException("This denoiser is stem-only: run its layers through layer-range stages (the runtime's planned execution).");
        }

        var shared = SharedLayerCount;
        return DualTowerLayer.RunRange(
            start,
            end,
            i => video.Blocks[i],
            i => i < shared ? Audio.Blocks[i] : null,
            Bridge,
            input,
            prepared.Conditioning,
            cancellationToken);
    }

    /// <summary>Heads and unpatchify; predictions cast to float32 (SPEC 4.5 step 6).</summary>
    public Velocity Finish(PreparedStep prepared, DualTowerActivations output)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(output);
        var video = Expert(prepared.Expert);
        using var scope = torch.NewDisposeScope();
        var videoOut = video.Unpatchify(video.ApplyHead(output.Video.to(video.Device), prepared.VideoTimeEmbedding), prepared.Grid).to(torch.ScalarType.Float32);
        var audioOut = WanAudioModel.Unpatchify(Audio.ApplyHead(output.Audio.to(Audio.Device), prepared.AudioTimeEmbedding)).to(torch.ScalarType.Float32);
        return new Velocity(videoOut.MoveToOuterDisposeScope(), audioOut.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _highNoise?.Dispose();
        _lowNoise?.Dispose();
        Audio.Dispose();
        Bridge.Dispose();
    }
}
