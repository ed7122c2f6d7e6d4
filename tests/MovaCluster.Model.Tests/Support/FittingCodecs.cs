using System.Text.Json;
using System.Text.Json.Nodes;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Pipeline;
using MovaCluster.Model.Text;
using MovaCluster.Model.Tiny;
using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>
/// Completes a MOVA golden set (denoiser, DAC, scheduler, model_index) into a whole pipeline with a tokenizer, UMT5
/// text encoder and Wan video VAE from the tiny-model generator, sized from the set's own configs: the text width is
/// the towers' <c>text_dim</c> and the VAE's latent channels the video tower's <c>out_dim</c>. The codec golden set is
/// a separate set whose widths need not fit the MOVA one, so a pipeline test never pairs the two.
/// </summary>
public static class FittingCodecs
{
    public static MovaComponentPaths Write(string folder, string movaRoot, long seed = TinyMovaCheckpoint.DefaultSeed)
    {
        var video = ConfigJson.Load<WanModelConfig>(Path.Combine(movaRoot, "video_dit"));
        var audio = ConfigJson.Load<WanAudioModelConfig>(Path.Combine(movaRoot, "audio_dit"));
        var dac = ConfigJson.Load<DacConfig>(Path.Combine(movaRoot, "audio_vae"));
        // The set itself must be consistent: one text width, model input [noise z | mask 4 | condition z], DAC latents = audio channels.
        Assert.Equal(video.TextDim, audio.TextDim);
        Assert.Equal((2 * video.OutDim) + 4, video.InDim);
        Assert.Equal(audio.InDim, dac.EffectiveLatentDim);

        var tokenizer = Path.Combine(folder, "tokenizer");
        Directory.CreateDirectory(tokenizer);
        File.WriteAllBytes(Path.Combine(tokenizer, "spiece.model"), TinySentencePieceModel.Serialize());

        var text = TinyMovaConfigs.TextEncoder(TinySentencePieceModel.Pieces().Count);
        text["d_model"] = video.TextDim;
        WriteComponent(Path.Combine(folder, "text_encoder"), text, "model.safetensors", seed, f => new Umt5EncoderModel(Umt5Config.Load(f), torch.CPU));

        var vae = TinyMovaConfigs.VideoVae();
        vae["z_dim"] = video.OutDim;
        vae["latents_mean"] = Cycle(vae["latents_mean"]!.AsArray(), video.OutDim);
        vae["latents_std"] = Cycle(vae["latents_std"]!.AsArray(), video.OutDim);
        WriteComponent(Path.Combine(folder, "video_vae"), vae, "diffusion_pytorch_model.safetensors", seed + 1, f => new WanVideoVae(ConfigJson.Load<WanVaeConfig>(f), torch.CPU));

        return new MovaComponentPaths(
            movaRoot,
            Path.Combine(folder, "text_encoder"),
            tokenizer,
            Path.Combine(folder, "video_vae"),
            Path.Combine(movaRoot, "audio_vae"),
            Path.Combine(movaRoot, "scheduler", "scheduler_config.json"),
            Path.Combine(movaRoot, "model_index.json"));
    }

    private static JsonArray Cycle(JsonArray values, int count) =>
        new([.. Enumerable.Range(0, count).Select(i => values[i % values.Count]!.DeepClone())]);

    private static void WriteComponent(string folder, JsonObject config, string weightsFile, long seed, Func<string, torch.nn.Module> build)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        using var module = build(folder);
        RandomWeights.FillFanIn(module, seed);
        SafetensorsWriter.Write(Path.Combine(folder, weightsFile), module.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
    }
}
