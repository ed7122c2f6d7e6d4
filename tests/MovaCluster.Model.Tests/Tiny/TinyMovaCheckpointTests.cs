using System.Security.Cryptography;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Text;
using MovaCluster.Model.Tiny;
using TorchSharp;

namespace MovaCluster.Model.Tests.Tiny;

public sealed class TinyMovaCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mova-tiny-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_written_folder_has_the_official_layout_and_every_component_loads_strictly()
    {
        var folder = Path.Combine(_root, "a");
        TinyMovaCheckpoint.Write(folder);

        foreach (var component in new[] { "video_dit", "video_dit_2", "audio_dit", "dual_tower_bridge", "audio_vae", "video_vae" })
        {
            Assert.True(File.Exists(Path.Combine(folder, component, "config.json")), component);
            Assert.True(File.Exists(Path.Combine(folder, component, "diffusion_pytorch_model.safetensors")), component);
        }

        Assert.True(File.Exists(Path.Combine(folder, "text_encoder", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(folder, "tokenizer", "spiece.model")));
        Assert.True(File.Exists(Path.Combine(folder, "scheduler", "scheduler_config.json")));
        Assert.True(File.Exists(Path.Combine(folder, "model_index.json")));
        using var denoiser = MovaDenoiserLoader.Load(folder, DTypePolicy.Float32, torch.CPU);
        using var text = Umt5EncoderModel.FromFolder(Path.Combine(folder, "text_encoder"), torch.CPU);
        using var video = WanVideoVae.FromFolder(Path.Combine(folder, "video_vae"), torch.CPU);
        using var audio = DacAudioDecoder.FromFolder(Path.Combine(folder, "audio_vae"), torch.CPU);
        Assert.Equal((48000, 960), (audio.SampleRate, audio.HopLength));
        Assert.Equal(TinySentencePieceModel.Pieces().Count, text.Config.VocabSize);
    }

    [Fact]
    public void The_tokenizer_model_round_trips_and_covers_any_text_without_unknown_tokens()
    {
        var parsed = SentencePieceModelProto.Parse(TinySentencePieceModel.Serialize());
        Assert.Equal(TinySentencePieceModel.Pieces(), parsed.Pieces);
        Assert.True(parsed.ByteFallback);
        Assert.Equal((2, 1, 0), (parsed.UnknownId, parsed.EosId, parsed.PadId));

        var folder = Path.Combine(_root, "tok");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "spiece.model"), TinySentencePieceModel.Serialize());
        var tokenizer = Umt5PromptTokenizer.FromFolder(folder);
        var prompt = tokenizer.Tokenize("A cat plays the piano — «Ünïcödé» 音乐 🎹!", 64);

        var ids = prompt.InputIds.Take(prompt.Length).Select(id => (int)id).ToList();
        Assert.DoesNotContain(2, ids);
        Assert.Equal(1, ids[^1]);
        Assert.All(ids, id => Assert.InRange(id, 0, parsed.Pieces.Count - 1));
        Assert.Contains(parsed.Pieces.ToList().FindIndex(p => p.Piece == "\u2581cat"), ids);
    }

    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_other_weights()
    {
        TinyMovaCheckpoint.Write(Path.Combine(_root, "one"), seed: 7);
        TinyMovaCheckpoint.Write(Path.Combine(_root, "two"), seed: 7);
        TinyMovaCheckpoint.Write(Path.Combine(_root, "three"), seed: 8);

        Assert.Equal(Hashes(Path.Combine(_root, "one")), Hashes(Path.Combine(_root, "two")));
        Assert.NotEqual(Hashes(Path.Combine(_root, "one"))["video_dit/diffusion_pytorch_model.safetensors"], Hashes(Path.Combine(_root, "three"))["video_dit/diffusion_pytorch_model.safetensors"]);
    }

    [Fact]
    public void EnsureWritten_reuses_a_complete_folder_and_rebuilds_an_incomplete_one()
    {
        var folder = TinyMovaCheckpoint.EnsureWritten(_root, seed: 3);
        var weights = Path.Combine(folder, "video_dit", "diffusion_pytorch_model.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);

        Assert.Equal(folder, TinyMovaCheckpoint.EnsureWritten(_root, seed: 3));
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));

        File.Delete(Path.Combine(folder, ".complete"));
        File.WriteAllText(weights, "truncated");
        Assert.Equal(folder, TinyMovaCheckpoint.EnsureWritten(_root, seed: 3));
        using var denoiser = MovaDenoiserLoader.Load(folder, DTypePolicy.Float32, torch.CPU);
        Assert.Empty(Directory.GetDirectories(_root, "*.tmp"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory
        .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
