using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Model.Tiny;

/// <summary>
/// Writes a tiny MOVA with seeded random weights as a checkpoint folder in the official layout (model_index.json,
/// scheduler/, video_dit/, video_dit_2/, audio_dit/, dual_tower_bridge/, audio_vae/, video_vae/, text_encoder/,
/// tokenizer/) with official key names, so the embedded default and the tests exercise exactly the loaders a real
/// MOVA-360p/720p folder goes through. Its output is noise. The same seed gives the same bytes on every machine
/// with the same libtorch, so every worker of a cluster that generates it holds the same model.
/// </summary>
public static class TinyMovaCheckpoint
{
    /// <summary>Bumped whenever the tiny architecture or initialisation changes, so stale cached folders are not reused.</summary>
    public const int FormatVersion = 2;

    /// <summary>Seed of the default tiny model.</summary>
    public const long DefaultSeed = 20261122;

    private const string CompleteMarker = ".complete";

    /// <summary>
    /// Returns the folder of the tiny model with <paramref name="seed"/> under <paramref name="cacheRoot"/>, writing
    /// it first when it is missing or incomplete. Writers race safely: each writes a private folder and renames it
    /// into place.
    /// </summary>
    public static string EnsureWritten(string cacheRoot, long seed = DefaultSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        var folder = Path.Combine(Path.GetFullPath(cacheRoot), $"mova-tiny-random-v{FormatVersion}-seed{seed}");
        if (File.Exists(Path.Combine(folder, CompleteMarker)))
        {
            return folder;
        }

        Directory.CreateDirectory(cacheRoot);
        var staging = $"{folder}.{Guid.NewGuid():N}.tmp";
        try
        {
            Write(staging, seed);
            File.WriteAllText(Path.Combine(staging, CompleteMarker), string.Empty);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, CompleteMarker)))
            {
                // Another process finished the same model first; theirs is identical.
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
                Directory.Move(staging, folder);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return folder;
    }

    /// <summary>Writes the tiny model into <paramref name="folder"/> (created; existing files are overwritten).</summary>
    public static void Write(string folder, long seed = DefaultSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        WriteJson(Path.Combine(folder, "model_index.json"), TinyMovaConfigs.ModelIndex());
        WriteJson(Path.Combine(folder, "scheduler", "scheduler_config.json"), TinyMovaConfigs.Scheduler());

        var policy = DTypePolicy.Float32;
        WriteComponent(folder, "video_dit", TinyMovaConfigs.VideoDit(), seed + 1, f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(torch.CPU, policy)));
        WriteComponent(folder, "video_dit_2", TinyMovaConfigs.VideoDit(), seed + 2, f => new WanModel(ConfigJson.Load<WanModelConfig>(f), new ParameterFactory(torch.CPU, policy)));
        WriteComponent(folder, "audio_dit", TinyMovaConfigs.AudioDit(), seed + 3, f => new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(f), new ParameterFactory(torch.CPU, policy)));
        WriteComponent(folder, "dual_tower_bridge", TinyMovaConfigs.Bridge(), seed + 4, f => new DualTowerConditionalBridge(ConfigJson.Load<BridgeConfig>(f), new ParameterFactory(torch.CPU, policy)));
        WriteComponent(folder, "audio_vae", TinyMovaConfigs.AudioVae(), seed + 5, f => new DacAudioDecoder(ConfigJson.Load<DacConfig>(f), torch.CPU));
        WriteComponent(folder, "video_vae", TinyMovaConfigs.VideoVae(), seed + 6, f => new WanVideoVae(ConfigJson.Load<WanVaeConfig>(f), torch.CPU));

        var tokenizer = Path.Combine(folder, "tokenizer");
        Directory.CreateDirectory(tokenizer);
        File.WriteAllBytes(Path.Combine(tokenizer, "spiece.model"), TinySentencePieceModel.Serialize());
        var vocabulary = TinySentencePieceModel.Pieces().Count;
        WriteComponent(folder, "text_encoder", TinyMovaConfigs.TextEncoder(vocabulary), seed + 7, f => new Umt5EncoderModel(Umt5Config.Load(f), torch.CPU), "model.safetensors");
    }

    private static void WriteComponent<T>(string root, string name, JsonObject config, long seed, Func<string, T> build, string weightsFile = "diffusion_pytorch_model.safetensors")
        where T : torch.nn.Module
    {
        var folder = Path.Combine(root, name);
        WriteJson(Path.Combine(folder, "config.json"), config);
        using var module = build(folder);
        RandomWeights.FillFanIn(module, seed);
        var state = module.state_dict();
        SafetensorsWriter.Write(Path.Combine(folder, weightsFile), state, new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static void WriteJson(string path, JsonObject json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
