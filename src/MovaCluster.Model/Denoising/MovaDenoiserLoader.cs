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
        var high = LoadComponent(Path.Combine(folder, "video_dit"), f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(device, policy)));
        try
        {
            var low = LoadComponent(Path.Combine(folder, "video_dit_2"), f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(device, policy)));
            var audio = LoadComponent(Path.Combine(folder, "audio_dit"), f => new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(f), new ParameterFactory(device, policy)));
            var bridge = LoadComponent(Path.Combine(folder, "dual_tower_bridge"), f => new DualTowerConditionalBridge(ConfigJson.Load<BridgeConfig>(f), new ParameterFactory(device, policy)));
            return new MovaDenoiser(high, low, audio, bridge);
        }
        catch
        {
            high.Dispose();
            throw;
        }
    }

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
