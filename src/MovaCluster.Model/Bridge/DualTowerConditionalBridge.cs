using System.Globalization;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Bridge;

/// <summary>
/// The official DualTowerConditionalBridge: for each interaction layer i an audio→video conditioner
/// (<c>audio_to_video_conditioners.{i}</c>) and a video→audio one (<c>video_to_audio_conditioners.{i}</c>).
/// </summary>
public sealed class DualTowerConditionalBridge : ExplicitModule
{
    private readonly Dictionary<int, ConditionalCrossAttentionBlock> _audioToVideo = [];
    private readonly Dictionary<int, ConditionalCrossAttentionBlock> _videoToAudio = [];

    /// <summary>Builds the conditioners of every interaction layer.</summary>
    public DualTowerConditionalBridge(BridgeConfig config, ParameterFactory factory)
        : this(config, factory, config?.InteractionLayers ?? [])
    {
    }

    /// <summary>Builds only the conditioners of <paramref name="layers"/> (a layer-range shard).</summary>
    public DualTowerConditionalBridge(BridgeConfig config, ParameterFactory factory, IEnumerable<int> layers)
        : base(nameof(DualTowerConditionalBridge))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(layers);
        Config = config;
        var a2vFactory = factory.Child("audio_to_video_conditioners");
        var v2aFactory = factory.Child("video_to_audio_conditioners");
        var interaction = config.InteractionLayers.ToHashSet();
        foreach (var layer in layers.Where(interaction.Contains))
        {
            var key = layer.ToString(CultureInfo.InvariantCulture);
            _audioToVideo[layer] = new ConditionalCrossAttentionBlock(
                config.VisualHiddenDim, config.AudioHiddenDim, config.VisualHiddenDim / config.HeadDim, a2vFactory.Child(key));
            _videoToAudio[layer] = new ConditionalCrossAttentionBlock(
                config.AudioHiddenDim, config.VisualHiddenDim, config.AudioHiddenDim / config.HeadDim, v2aFactory.Child(key));
        }

        register_module("audio_to_video_conditioners", torch.nn.ModuleDict<ConditionalCrossAttentionBlock>(
            [.. _audioToVideo.Select(p => (p.Key.ToString(CultureInfo.InvariantCulture), p.Value))]));
        register_module("video_to_audio_conditioners", torch.nn.ModuleDict<ConditionalCrossAttentionBlock>(
            [.. _videoToAudio.Select(p => (p.Key.ToString(CultureInfo.InvariantCulture), p.Value))]));
    }

    /// <summary>The validated config.</summary>
    public BridgeConfig Config { get; }

    /// <summary>True when layer <paramref name="layer"/> has conditioners in this module.</summary>
    public bool Interacts(int layer) => _audioToVideo.ContainsKey(layer);

    /// <summary>Aligned cross-modal RoPE tables, or null when the config disables cross RoPE.</summary>
    public BridgeRopeTables? BuildRope(double videoFps, (long Frames, long Height, long Width) grid, long audioLength, torch.ScalarType dtype, torch.Device device) =>
        Config.ApplyCrossRope
            ? BridgeRotary.Build(Config.HeadDim, Config.AudioFps, videoFps, grid, audioLength, Config.ApplyFirstFrameBiasInRope, dtype, device)
            : null;

    /// <summary>
    /// Layer <paramref name="layer"/>: a2v updates the video stream and v2a the audio stream, both from the states
    /// before this layer's bridge (v2a reads the pre-update video). Returns the inputs unchanged off the mapping.
    /// </summary>
    public (torch.Tensor Video, torch.Tensor Audio) Forward(
        int layer,
        torch.Tensor video,
        torch.Tensor audio,
        BridgeRopeTables? rope,
        double audioToVideoScale = 1.0,
        double videoToAudioScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        if (!Interacts(layer))
        {
            return (video, audio);
        }

        using var scope = torch.NewDisposeScope();
        (torch.Tensor, torch.Tensor)? videoRope = rope is null ? null : (rope.VideoCos, rope.VideoSin);
        (torch.Tensor, torch.Tensor)? audioRope = rope is null ? null : (rope.AudioCos, rope.AudioSin);
        var a2v = _audioToVideo[layer].Forward(video, audio, videoRope, audioRope);
        var v2a = _videoToAudio[layer].Forward(audio, video, audioRope, videoRope);
        var newVideo = video + Scaled(a2v, audioToVideoScale);
        var newAudio = audio + Scaled(v2a, videoToAudioScale);
        return (newVideo.MoveToOuterDisposeScope(), newAudio.MoveToOuterDisposeScope());
    }

    /// <summary>The a2v and v2a conditioner outputs before scaling (for diagnostics and golden checks).</summary>
    public (torch.Tensor AudioToVideo, torch.Tensor VideoToAudio) Deltas(int layer, torch.Tensor video, torch.Tensor audio, BridgeRopeTables? rope)
    {
        (torch.Tensor, torch.Tensor)? videoRope = rope is null ? null : (rope.VideoCos, rope.VideoSin);
        (torch.Tensor, torch.Tensor)? audioRope = rope is null ? null : (rope.AudioCos, rope.AudioSin);
        return (_audioToVideo[layer].Forward(video, audio, videoRope, audioRope), _videoToAudio[layer].Forward(audio, video, audioRope, videoRope));
    }

    // The official code multiplies by the Python float; x·1.0 is exact, so it is skipped.
    private static torch.Tensor Scaled(torch.Tensor delta, double scale) => scale == 1.0 ? delta : delta * scale;
}
