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
/// Layers [Start, End) of the interleaved dual-tower stack for the video experts one device serves: each held
/// expert's video blocks, and ONE copy of the audio blocks and bridge conditioners of those layers, shared by the
/// experts (the audio tower and the bridge are the same module in both phases). Children:
/// <c>high_noise_blocks.{i}</c> (video_dit <c>blocks.{i}</c>), <c>low_noise_blocks.{i}</c> (video_dit_2
/// <c>blocks.{i}</c>), <c>audio_blocks.{i}</c> (audio_dit <c>blocks.{i}</c>) and <c>bridge.*</c>
/// (dual_tower_bridge). Layers run through <see cref="DualTowerLayer"/>, like the unsharded model.
/// </summary>
public sealed class LayerRangeStage : ExplicitModule
{
    private readonly Dictionary<VideoExpert, Dictionary<int, DiTBlock>> _video = [];
    private readonly Dictionary<int, DiTBlock> _audio = [];
    private readonly DualTowerConditionalBridge _bridge;

    public LayerRangeStage(
        WanModelConfig video,
        WanAudioModelConfig audio,
        BridgeConfig bridge,
        IReadOnlyCollection<VideoExpert> experts,
        int start,
        int end,
        ParameterFactory factory)
        : base(nameof(LayerRangeStage))
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(bridge);
        ArgumentNullException.ThrowIfNull(experts);
        ArgumentNullException.ThrowIfNull(factory);
        if (start < 0 || end > video.NumLayers || start >= end)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Layer range [{start}, {end}) must be non-empty and within [0, {video.NumLayers}).");
        }

        if (experts.Count == 0)
        {
            throw new ArgumentException("A stage serves at least one video expert.", nameof(experts));
        }

        Start = start;
        End = end;
        Device = factory.Device;
        foreach (var expert in experts.Distinct())
        {
            var blocks = new Dictionary<int, DiTBlock>();
            var blockFactory = factory.Child("blocks");
            for (var layer = start; layer < end; layer++)
            {
                blocks[layer] = new DiTBlock(video.Dim, video.NumHeads, video.FfnDim, video.Eps, blockFactory.Child(Key(layer)));
            }

            _video[expert] = blocks;
            register_module(ChildName(expert), torch.nn.ModuleDict([.. blocks.Select(p => (Key(p.Key), p.Value))]));
        }

        var audioFactory = factory.Child("blocks");
        for (var layer = start; layer < Math.Min(end, audio.NumLayers); layer++)
        {
            _audio[layer] = new DiTBlock(audio.Dim, audio.NumHeads, audio.FfnDim, audio.Eps, audioFactory.Child(Key(layer)));
        }

        _bridge = new DualTowerConditionalBridge(bridge, factory, _audio.Keys);
        register_module("audio_blocks", torch.nn.ModuleDict([.. _audio.Select(p => (Key(p.Key), p.Value))]));
        register_module("bridge", _bridge);
    }

    /// <summary>First layer (inclusive).</summary>
    public int Start { get; }

    /// <summary>Last layer (exclusive).</summary>
    public int End { get; }

    public torch.Device Device { get; }

    /// <summary>Bytes held by the stage's parameters.</summary>
    public long ParameterBytes => parameters().Sum(p => p.numel() * p.ElementSize);

    /// <summary>The video experts whose blocks this stage holds.</summary>
    public IReadOnlyCollection<VideoExpert> Experts => _video.Keys;

    /// <summary>Builds the stage from an official MOVA folder and strictly loads its parameters (other layers' keys are ignored).</summary>
    public static LayerRangeStage Load(string folder, IReadOnlyCollection<VideoExpert> experts, int start, int end, ParameterFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var video = ConfigJson.Load<WanModelConfig>(Path.Combine(folder, "video_dit"));
        var audio = ConfigJson.Load<WanAudioModelConfig>(Path.Combine(folder, "audio_dit"));
        var bridge = ConfigJson.Load<BridgeConfig>(Path.Combine(folder, "dual_tower_bridge"));
        var stage = new LayerRangeStage(video, audio, bridge, experts, start, end, factory);
        try
        {
            foreach (var (component, targets) in stage.TargetsByComponent())
            {
                using var checkpoint = SafetensorsCheckpoint.Open(Path.Combine(folder, component));
                CheckpointLoader.Load(targets, checkpoint, allowUnusedCheckpointKeys: true);
            }

            return stage;
        }
        catch
        {
            stage.Dispose();
            throw;
        }
    }

    /// <summary>The stage's tensors keyed by (component folder, checkpoint key).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, torch.Tensor>> TargetsByComponent()
    {
        var byComponent = new Dictionary<string, Dictionary<string, torch.Tensor>>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state_dict())
        {
            var (component, key) = CheckpointKey(name);
            if (!byComponent.TryGetValue(component, out var targets))
            {
                byComponent[component] = targets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
            }

            targets[key] = tensor;
        }

        return byComponent;
    }

    /// <summary>
    /// Runs the stage's layers for <paramref name="expert"/>. Inputs on another device are copied over first (and
    /// released here); the returned activations are on this stage's device and belong to the caller.
    /// </summary>
    public DualTowerActivations Run(VideoExpert expert, DualTowerActivations input, DualTowerConditioning conditioning, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(conditioning);
        if (!_video.TryGetValue(expert, out var blocks))
        {
            throw new InvalidOperationException($"Stage [{Start}, {End}) does not hold the {expert} expert (it holds {string.Join(", ", _video.Keys)}).");
        }

        using var localInput = SameDevice(input.Video.device) ? null : input.To(Device);
        using var localConditioning = SameDevice(conditioning.VideoContext.device) ? null : conditioning.To(Device);
        return DualTowerLayer.RunRange(
            Start,
            End,
            i => blocks[i],
            i => _audio.GetValueOrDefault(i),
            _bridge,
            localInput ?? input,
            localConditioning ?? conditioning,
            cancellationToken);
    }

    private static (string Component, string Key) CheckpointKey(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var (child, rest) = (name[..dot], name[(dot + 1)..]);
        return child switch
        {
            "high_noise_blocks" => (MovaDenoiserLoader.ExpertFolder(VideoExpert.HighNoise), "blocks." + rest),
            "low_noise_blocks" => (MovaDenoiserLoader.ExpertFolder(VideoExpert.LowNoise), "blocks." + rest),
            "audio_blocks" => ("audio_dit", "blocks." + rest),
            "bridge" => ("dual_tower_bridge", rest),
            _ => throw new InvalidOperationException($"Stage parameter '{name}' belongs to no component."),
        };
    }

    private static string ChildName(VideoExpert expert) => expert == VideoExpert.HighNoise ? "high_noise_blocks" : "low_noise_blocks";

    private static string Key(int layer) => layer.ToString(CultureInfo.InvariantCulture);

    private bool SameDevice(torch.Device other) => other.type == Device.type && other.index == Device.index;
}
