using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Checkpoints;

public sealed class ComponentFolderLoadTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mova-folder-").FullName;

    [Fact]
    public void Folder_with_a_missing_and_an_extra_key_fails_naming_both()
    {
        // The last audio block's final FFN bias, and the same tensor under a key no module has.
        var lastBlock = GoldenSet.AudioConfig.NumLayers - 1;
        var missing = $"blocks.{lastBlock}.ffn.2.bias";
        var extra = $"blocks.{lastBlock}.ffn.3.bias";
        var folder = CopyComponent("audio_dit", (tensors) =>
        {
            Assert.True(tensors.Remove(missing, out var removed), $"audio_dit has no {missing}");
            tensors[extra] = removed!;
        });

        var error = Assert.Throws<CheckpointMismatchException>(() =>
            MovaDenoiserLoader.LoadComponent(folder, f => new WanAudioModel(ConfigJson.Load<WanAudioModelConfig>(f), new ParameterFactory(torch.CPU, DTypePolicy.Float32))));

        Assert.Equal([missing], error.MissingKeys);
        Assert.Equal([extra], error.UnexpectedKeys);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_official_layout_with_a_sharded_expert_loads_and_predicts_like_the_single_files()
    {
        var root = Path.Combine(_temp, "mova");
        foreach (var component in new[] { "video_dit_2", "audio_dit", "dual_tower_bridge" })
        {
            CopyComponent(component, _ => { }, Path.Combine(root, component));
        }

        ShardComponent("video_dit", Path.Combine(root, "video_dit"));
        using var fromShards = MovaDenoiserLoader.Load(root, DTypePolicy.Float32, torch.CPU);
        using var reference = MovaDenoiserLoader.Load(GoldenSet.Root, DTypePolicy.Float32, torch.CPU);
        using var golden = new GoldenCase(GoldenSet.SingleStepCase(VideoExpert.HighNoise));
        var input = golden.SingleStepInput();
        using var a = fromShards.Predict(VideoExpert.HighNoise, input);
        using var b = reference.Predict(VideoExpert.HighNoise, input);
        TensorAssert.Equal(a.Video, b.Video, "video");
    }

    private string CopyComponent(string component, Action<Dictionary<string, torch.Tensor>> edit, string? target = null)
    {
        target ??= Path.Combine(_temp, component);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(GoldenSet.Component(component), "config.json"), Path.Combine(target, "config.json"));
        using var source = SafetensorsCheckpoint.Open(GoldenSet.Component(component));
        var tensors = source.Keys.ToDictionary(k => k, source.Read);
        edit(tensors);
        SafetensorsWriter.Write(Path.Combine(target, "diffusion_pytorch_model.safetensors"), tensors);
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        return target;
    }

    private static void ShardComponent(string component, string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(GoldenSet.Component(component), "config.json"), Path.Combine(target, "config.json"));
        using var source = SafetensorsCheckpoint.Open(GoldenSet.Component(component));
        var map = new Dictionary<string, string>();
        var groups = source.Keys.Select((k, i) => (k, i)).GroupBy(p => p.i % 3).ToList();
        foreach (var group in groups)
        {
            var name = $"diffusion_pytorch_model-0000{group.Key + 1}-of-00003.safetensors";
            var tensors = group.ToDictionary(p => p.k, p => source.Read(p.k));
            SafetensorsWriter.Write(Path.Combine(target, name), tensors);
            foreach (var (key, tensor) in tensors)
            {
                map[key] = name;
                tensor.Dispose();
            }
        }

        File.WriteAllText(Path.Combine(target, "diffusion_pytorch_model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
