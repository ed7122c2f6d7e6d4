using System.Text.Json;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Checkpoints;

public sealed class SafetensorsCheckpointTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mova-ckpt-").FullName;

    /// <summary>Every component of the manifest that lists its state-dict keys.</summary>
    public static TheoryData<string> WeightedComponents()
    {
        var data = new TheoryData<string>();
        foreach (var component in GoldenSet.Manifest.GetProperty("components").EnumerateObject().Where(c => c.Value.TryGetProperty("state_dict_keys", out _)))
        {
            data.Add(component.Name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_lists_the_four_denoising_components_and_the_audio_vae()
    {
        var listed = GoldenSet.Manifest.GetProperty("components").EnumerateObject().Where(c => c.Value.TryGetProperty("state_dict_keys", out _)).Select(c => c.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "video_dit", "video_dit_2", "audio_dit", "dual_tower_bridge", "audio_vae" }, listed);
    }

    [Theory]
    [MemberData(nameof(WeightedComponents))]
    public void Golden_component_folder_opens_with_the_manifest_keys_and_shapes(string component)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(GoldenSet.Component(component));
        var expected = GoldenSet.ComponentEntry(component).GetProperty("state_dict_keys");

        var expectedKeys = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedKeys, checkpoint.Keys);
        foreach (var entry in expected.EnumerateObject())
        {
            var shape = entry.Value.EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Assert.Equal(shape, checkpoint.GetInfo(entry.Name).Shape);
            using var tensor = checkpoint.Read(entry.Name);
            Assert.Equal(shape, tensor.shape);
            Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
        }
    }

    [Fact]
    public void Sharded_index_reads_the_same_tensors_as_the_single_file()
    {
        using var single = SafetensorsCheckpoint.Open(GoldenSet.Component("video_dit"));
        var keys = single.Keys;
        var halves = new[] { keys.Take(keys.Count / 2).ToList(), keys.Skip(keys.Count / 2).ToList() };
        var weightMap = new Dictionary<string, string>();
        for (var i = 0; i < 2; i++)
        {
            var name = $"diffusion_pytorch_model-0000{i + 1}-of-00002.safetensors";
            var tensors = halves[i].ToDictionary(k => k, single.Read);
            SafetensorsWriter.Write(Path.Combine(_temp, name), tensors);
            foreach (var (key, tensor) in tensors)
            {
                weightMap[key] = name;
                tensor.Dispose();
            }
        }

        File.WriteAllText(
            Path.Combine(_temp, "diffusion_pytorch_model.safetensors.index.json"),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));

        using var sharded = SafetensorsCheckpoint.Open(_temp);
        Assert.Equal(2, sharded.FilePaths.Count);
        Assert.Equal(keys, sharded.Keys);
        foreach (var key in keys)
        {
            using var a = single.Read(key);
            using var b = sharded.Read(key);
            TensorAssert.Equal(b, a, key);
        }
    }

    [Theory]
    [InlineData(torch.ScalarType.BFloat16)]
    [InlineData(torch.ScalarType.Float16)]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.Int64)]
    public void Writer_and_reader_round_trip_every_supported_dtype_bit_exactly(torch.ScalarType dtype)
    {
        using var generator = new torch.Generator(7);
        using var source = torch.randn([37, 5, 3], generator: generator).mul(100);
        using var typed = source.to(dtype);
        var path = Path.Combine(_temp, "roundtrip.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, torch.Tensor> { ["w"] = typed }, new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        using var whole = file.Read("w");
        TensorAssert.Equal(whole, typed, "single copy");

        // A copy block smaller than the tensor exercises the row-block path used for >1 GiB tensors.
        using var blocked = file.Read("w", copyChunkBytes: 4 * 5 * 3 * typed.ElementSize);
        TensorAssert.Equal(blocked, typed, "row-block copy");

        using var converted = file.Read("w", torch.ScalarType.Float32, torch.CPU);
        using var expected = typed.to(torch.ScalarType.Float32);
        TensorAssert.Equal(converted, expected, "converted");
    }

    [Fact]
    public void Corrupt_header_offsets_are_rejected_with_the_entry_name()
    {
        var path = Path.Combine(_temp, "bad.safetensors");
        var header = """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}"""u8.ToArray();
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(header);
            stream.Write(new byte[12]);
        }

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_weights_fails_clearly()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(_temp));
        Assert.Contains("no *.safetensors", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
