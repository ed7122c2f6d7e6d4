using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// Builds the denoising network from an official MOVA folder (video_dit/, video_dit_2/, audio_dit/,
/// dual_tower_bridge/): typed configs, modules on the device in the policy's dtypes, strict key-exact loading.
/// </summary>
public static class MovaDenoiserLoader
{
    public static MovaDenoiser Load(string folder, DTypePolicy policy, torch.Device device)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(device);
        var loaded = new List<torch.nn.Module>();
        T Track<T>(T module)
            where T : torch.nn.Module
        {
            loaded.Add(module);
            return module;
        }

        try
        {
            var high = Track(LoadComponent(Path.Combine(folder, "video_dit"), f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(device, policy))));
            var low = Track(LoadComponent(Path.Combine(folder, "video_dit_2"), f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(device, policy))));
            var audio = Track(LoadComponent(Path.Combine(folder, "audio_dit"), f => new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(f), new ParameterFactory(device, policy))));
            var bridge = Track(LoadComponent(Path.Combine(folder, "dual_tower_bridge"), f => new DualTowerConditionalBridge(ConfigJson.Load<BridgeConfig>(f), new ParameterFactory(device, policy))));
            return new MovaDenoiser(high, low, audio, bridge);
        }
        catch
        {
            loaded.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Builds a stem-only denoiser (time/text embeddings, patch embeddings, heads, bridge RoPE settings; no blocks and
    /// no bridge conditioners) for processes whose layers run in layer-range stages (the runtime's planned execution).
    /// Non-block keys are loaded strictly; block and conditioner keys are left to the stages. With <paramref name="expert"/> set,
    /// only that video expert's stem is built (an expert-stage group never runs the other one).
    /// </summary>
    public static MovaDenoiser LoadStem(string folder, DTypePolicy policy, torch.Device device, VideoExpert? expert = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(device);
        var loaded = new List<torch.nn.Module>();
        T Stem<T>(string component, Func<string, T> build)
            where T : torch.nn.Module
        {
            var path = Path.Combine(folder, component);
            var module = build(path);
            loaded.Add(module);
            using var checkpoint = SafetensorsCheckpoint.Open(path);
            var targets = module.state_dict();
            var unexpected = checkpoint.Keys.Where(k => !k.StartsWith("blocks.", StringComparison.Ordinal) && !targets.ContainsKey(k)).ToList();
            if (unexpected.Count > 0)
            {
                throw new CheckpointMismatchException(checkpoint.Source, [], unexpected, []);
            }

            CheckpointLoader.Load(targets, checkpoint, allowUnusedCheckpointKeys: true);
            return module;
        }

        try
        {
            WanModel VideoStem(VideoExpert which) =>
                Stem(ExpertFolder(which), f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(device, policy), withBlocks: false));
            var high = expert is null or VideoExpert.HighNoise ? VideoStem(VideoExpert.HighNoise) : null;
            var low = expert is null or VideoExpert.LowNoise ? VideoStem(VideoExpert.LowNoise) : null;
            var audio = Stem("audio_dit", f => new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(f), new ParameterFactory(device, policy), withBlocks: false));
            var bridgeConfig = ConfigJson.Load<BridgeConfig>(Path.Combine(folder, "dual_tower_bridge"));
            var bridge = new DualTowerConditionalBridge(bridgeConfig, new ParameterFactory(device, policy), []);
            loaded.Add(bridge);
            return high is not null && low is not null
                ? new MovaDenoiser(high, low, audio, bridge)
                : MovaDenoiser.ForExpert(expert!.Value, (high ?? low)!, audio, bridge);
        }
        catch
        {
            loaded.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>The component folder of a video expert: video_dit (high noise) or video_dit_2 (low noise).</summary>
    public static string ExpertFolder(VideoExpert expert) => expert == VideoExpert.HighNoise ? "video_dit" : "video_dit_2";

    /// <summary>Builds a module from the folder's config.json and strictly loads the folder's weights into it.</summary>
    public static T LoadComponent<T>(string componentFolder, Func<string, T> build)
        where T : torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(build);
        var module = build(componentFolder);
        try
        {
            using var checkpoint = SafetensorsCheckpoint.Open(componentFolder);
            CheckpointLoader.Load(module, checkpoint);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
}
