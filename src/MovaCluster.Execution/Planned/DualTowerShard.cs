using System.Globalization;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Execution.Planned;

/// <summary>
/// Layers [Start, End) of the interleaved dual-tower stack as a standalone module on one device: the video
/// blocks, the audio blocks (layers below the audio depth) and the bridge conditioners of those layers. Chaining
/// shards that cover [0, depth) gives exactly the unsharded forward (both run <see cref="DualTowerLayer"/>).
/// Children: <c>video_blocks.{i}</c> (checkpoint video_dit <c>blocks.{i}</c>), <c>audio_blocks.{i}</c>
/// (audio_dit <c>blocks.{i}</c>) and <c>bridge.*</c> (dual_tower_bridge keys).
/// </summary>
public sealed class DualTowerShard : ExplicitModule
{
    private const string VideoPrefix = "video_blocks.";
    private const string AudioPrefix = "audio_blocks.";
    private const string BridgePrefix = "bridge.";

    private readonly Dictionary<int, DiTBlock> _video = [];
    private readonly Dictionary<int, DiTBlock> _audio = [];
    private readonly DualTowerConditionalBridge _bridge;

    public DualTowerShard(WanModelConfig video, WanAudioModelConfig audio, BridgeConfig bridge, int start, int end, ParameterFactory factory)
        : base(nameof(DualTowerShard))
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentNullException.ThrowIfNull(factory);
        if (start < 0 || end > video.NumLayers || start >= end)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Layer range [{start}, {end}) must be non-empty and within [0, {video.NumLayers}).");
        }

        Start = start;
        End = end;
        Device = factory.Device;
        var videoFactory = factory.Child("blocks");
        var audioFactory = factory.Child("blocks");
        for (var layer = start; layer < end; layer++)
        {
            var key = layer.ToString(CultureInfo.InvariantCulture);
            _video[layer] = new DiTBlock(video.Dim, video.NumHeads, video.FfnDim, video.Eps, videoFactory.Child(key));
            if (layer < audio.NumLayers)
            {
                _audio[layer] = new DiTBlock(audio.Dim, audio.NumHeads, audio.FfnDim, audio.Eps, audioFactory.Child(key));
            }
        }

        _bridge = new DualTowerConditionalBridge(bridge, factory, Enumerable.Range(start, end - start).Where(_audio.ContainsKey));
        register_module("video_blocks", torch.nn.ModuleDict([.. _video.Select(p => (p.Key.ToString(CultureInfo.InvariantCulture), p.Value))]));
        register_module("audio_blocks", torch.nn.ModuleDict([.. _audio.Select(p => (p.Key.ToString(CultureInfo.InvariantCulture), p.Value))]));
        register_module("bridge", _bridge);
    }

    /// <summary>First layer (inclusive).</summary>
    public int Start { get; }

    /// <summary>Last layer (exclusive).</summary>
    public int End { get; }

    /// <summary>Device of every parameter of the shard.</summary>
    public torch.Device Device { get; }

    /// <summary>Bytes held by the shard's parameters.</summary>
    public long ParameterBytes => parameters().Sum(p => p.numel() * p.ElementSize);

    /// <summary>Strictly loads the shard's parameters from the three component checkpoints (other layers' keys are ignored).</summary>
    public void Load(SafetensorsCheckpoint video, SafetensorsCheckpoint audio, SafetensorsCheckpoint bridge)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        var videoTargets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var audioTargets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var bridgeTargets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state_dict())
        {
            if (name.StartsWith(VideoPrefix, StringComparison.Ordinal))
            {
                videoTargets["blocks." + name[VideoPrefix.Length..]] = tensor;
            }
            else if (name.StartsWith(AudioPrefix, StringComparison.Ordinal))
            {
                audioTargets["blocks." + name[AudioPrefix.Length..]] = tensor;
            }
            else if (name.StartsWith(BridgePrefix, StringComparison.Ordinal))
            {
                bridgeTargets[name[BridgePrefix.Length..]] = tensor;
            }
            else
            {
                throw new InvalidOperationException($"Shard parameter '{name}' belongs to no component.");
            }
        }

        CheckpointLoader.Load(videoTargets, video, allowUnusedCheckpointKeys: true);
        CheckpointLoader.Load(audioTargets, audio, allowUnusedCheckpointKeys: true);
        CheckpointLoader.Load(bridgeTargets, bridge, allowUnusedCheckpointKeys: true);
    }

    /// <summary>
    /// Runs the shard's layers on its device. Inputs on another device are copied over (the copies are released
    /// here); the returned activations live on this shard's device and belong to the caller.
    /// </summary>
    public DualTowerActivations Run(DualTowerActivations input, DualTowerConditioning conditioning, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(conditioning);
        var moveInput = !SameDevice(input.Video.device);
        var moveConditioning = !SameDevice(conditioning.VideoContext.device);
        using var localInput = moveInput ? input.To(Device) : null;
        using var localConditioning = moveConditioning ? conditioning.To(Device) : null;
        return DualTowerLayer.RunRange(
            Start,
            End,
            i => _video[i],
            i => _audio.GetValueOrDefault(i),
            _bridge,
            localInput ?? input,
            localConditioning ?? conditioning,
            cancellationToken);
    }

    private bool SameDevice(torch.Device other) => other.type == Device.type && other.index == Device.index;
}
