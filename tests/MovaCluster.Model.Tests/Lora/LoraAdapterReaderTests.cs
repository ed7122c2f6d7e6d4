using System.Collections;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Lora;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Lora;

/// <summary>Reading adapters in every official form, with another rank, width and dtype than the goldens, and every way a file can be wrong.</summary>
public sealed class LoraAdapterReaderTests : IDisposable
{
    private readonly AdapterFiles _files = new();
    private readonly LoraLayerCatalog _catalog;

    public LoraAdapterReaderTests()
    {
        using var denoiser = RandomDenoiser.Create(new RandomDenoiser.Shape(VideoDim: 40, VideoLayers: 2, AudioDim: 20, AudioLayers: 1, BridgeHeadDim: 20), seed: 3);
        _catalog = LoraTargets.ForDenoiser(denoiser).Catalog;
    }

    [Fact]
    public void A_bfloat16_rank_8_adapter_reads_the_same_from_every_format()
    {
        var peft = AdapterFiles.RandomTensors(_catalog, rank: 8, torch.ScalarType.BFloat16, seed: 1);
        var diffsynth = AdapterFiles.RandomTensors(_catalog, rank: 8, torch.ScalarType.BFloat16, seed: 1, LoraAdapterFormat.DiffSynth);
        var config = AdapterFiles.OfficialConfig(32.0);
        using var fromPeft = LoraAdapterReader.Read(_files.WriteTorch("peft", peft, config));
        using var fromDiffsynth = LoraAdapterReader.Read(Path.Combine(_files.WriteTorch("diffsynth", diffsynth, config), LoraAdapterReader.WeightsFileName));
        using var fromSafetensors = LoraAdapterReader.Read(_files.WriteSafetensors("adapter", peft, new() { ["alpha"] = "32.0", ["rank"] = "8" }));

        Assert.Equal(LoraAdapterFormat.Peft, fromPeft.Format);
        Assert.Equal(LoraAdapterFormat.DiffSynth, fromDiffsynth.Format);
        Assert.Equal(LoraAdapterFormat.Safetensors, fromSafetensors.Format);
        foreach (var adapter in new[] { fromPeft, fromDiffsynth, fromSafetensors })
        {
            Assert.Equal(32.0, adapter.Alpha);
            Assert.Equal(_catalog.Layers.Keys, adapter.Layers.Keys);
            Assert.All(adapter.Layers.Values, l => Assert.Equal(8, l.Rank));
            Assert.All(adapter.Layers.Values, l => Assert.Equal(torch.ScalarType.BFloat16, l.DType));
            Assert.Equal(fromPeft.Digest, adapter.Digest);
            Assert.Equal(4.0 * 0.5, adapter.Scaling(adapter.Layers.Values.First(), 0.5));
            _catalog.Validate(adapter);
        }

        var key = peft.Keys.First(k => k.EndsWith("lora_B.weight", StringComparison.Ordinal));
        TensorAssert.Equal(fromPeft.Layers[key[..^".lora_B.weight".Length]].B, peft[key], "lora_B as written");
        AdapterFiles.DisposeAll(peft);
        AdapterFiles.DisposeAll(diffsynth);
    }

    public static IEnumerable<object?[]> ConfigAlphas() =>
    [
        [32.0, 32.0],
        [8, 8.0],
        [8L, 8.0],
        ["sixteen", LoraAdapter.DefaultAlpha],
        [null, LoraAdapter.DefaultAlpha],
    ];

    [Theory]
    [MemberData(nameof(ConfigAlphas))]
    public void Alpha_comes_from_the_config_when_it_is_a_number_else_16(object? configured, double expected)
    {
        var tensors = AdapterFiles.RandomTensors(_catalog, rank: 2, torch.ScalarType.Float32, seed: 2);
        var config = AdapterFiles.OfficialConfig();
        config["alpha"] = configured;
        using var adapter = LoraAdapterReader.Read(_files.WriteTorch("alpha", tensors, config));
        Assert.Equal(expected, adapter.Alpha);
        using var overridden = LoraAdapterReader.Read(Path.Combine(_files.Root, "alpha"), alphaOverride: 24.0);
        Assert.Equal(24.0, overridden.Alpha);
        Assert.NotEqual(adapter.Digest, overridden.Digest);
        AdapterFiles.DisposeAll(tensors);
    }

    [Fact]
    public void Without_a_config_or_metadata_alpha_is_16()
    {
        var tensors = AdapterFiles.RandomTensors(_catalog, rank: 2, torch.ScalarType.Float32, seed: 2);
        using var noConfig = LoraAdapterReader.Read(_files.WriteTorch("no-config", tensors, config: null));
        using var noMetadata = LoraAdapterReader.Read(_files.WriteSafetensors("plain", tensors));
        using var textMetadata = LoraAdapterReader.Read(_files.WriteSafetensors("text", tensors, new() { ["alpha"] = "high" }));
        using var intMetadata = LoraAdapterReader.Read(_files.WriteSafetensors("int", tensors, new() { ["alpha"] = "4" }));
        Assert.Equal([16.0, 16.0, 16.0, 4.0], new[] { noConfig.Alpha, noMetadata.Alpha, textMetadata.Alpha, intMetadata.Alpha });
        AdapterFiles.DisposeAll(tensors);
    }

    [Fact]
    public void A_config_that_names_components_limits_the_adapter_to_them()
    {
        var video = AdapterFiles.RandomTensors(_catalog, rank: 2, torch.ScalarType.Float32, seed: 4, include: n => n.StartsWith("video_dit.", StringComparison.Ordinal));
        using var adapter = LoraAdapterReader.Read(_files.WriteTorch("video", video, AdapterFiles.OfficialConfig(16.0, "video_dit")));
        Assert.Equal(["video_dit"], adapter.Components);

        var all = AdapterFiles.RandomTensors(_catalog, rank: 2, torch.ScalarType.Float32, seed: 4);
        var error = Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(_files.WriteTorch("outside", all, AdapterFiles.OfficialConfig(16.0, "video_dit"))));
        Assert.StartsWith("audio_dit.", error.Key, StringComparison.Ordinal);
        Assert.Contains("target_modules", error.Message, StringComparison.Ordinal);

        var filter = Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(_files.WriteTorch("filter", all, AdapterFiles.OfficialConfig(16.0, "self_attn"))));
        Assert.Equal("target_modules", filter.Key);
        Assert.Contains("'self_attn'", filter.Message, StringComparison.Ordinal);
        AdapterFiles.DisposeAll(video);
        AdapterFiles.DisposeAll(all);
    }

    public static IEnumerable<object[]> BrokenStateDicts() =>
    [
        ["text_encoder.blocks.0.self_attn.q.lora_A.weight", "not a MOVA component"],
        ["video_dit.blocks.0.self_attn.q.weight", "is not a LoRA tensor"],
        ["video_dit.lora_A.weight", "names no layer"],
        ["mixed forms", "mixes the peft and diffsynth key forms"],
        ["missing B", "has lora_A but no lora_B"],
        ["rank mismatch", "does not fit lora_A"],
        ["3-D", "a LoRA matrix is 2-D"],
        ["int64", "LoRA matrices are float32"],
        ["NaN", "NaN or infinite"],
        ["dtype mismatch", "the official layer multiplies them in one dtype"],
    ];

    [Theory]
    [MemberData(nameof(BrokenStateDicts))]
    public void A_broken_state_dict_is_a_clear_error_naming_the_key(string breakage, string expected)
    {
        const string Layer = "video_dit.blocks.0.self_attn.q";
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            [Layer + ".lora_A.weight"] = torch.randn(4, 40),
            [Layer + ".lora_B.weight"] = torch.randn(40, 4),
        };
        string culprit;
        switch (breakage)
        {
            case "mixed forms":
                culprit = "video_dit.blocks.0.self_attn.k.lora_A.default.weight";
                tensors[culprit] = torch.randn(4, 40);
                tensors["video_dit.blocks.0.self_attn.k.lora_B.default.weight"] = torch.randn(40, 4);
                tensors["video_dit.blocks.0.self_attn.v.lora_A.weight"] = torch.randn(4, 40);
                tensors["video_dit.blocks.0.self_attn.v.lora_B.weight"] = torch.randn(40, 4);
                break;
            case "missing B":
                culprit = Layer + ".lora_A.weight";
                tensors.Remove(Layer + ".lora_B.weight");
                break;
            case "rank mismatch":
                culprit = Layer + ".lora_B.weight";
                tensors[culprit] = torch.randn(40, 8);
                break;
            case "3-D":
                culprit = Layer + ".lora_A.weight";
                tensors[culprit] = torch.randn(4, 40, 1);
                break;
            case "int64":
                culprit = Layer + ".lora_B.weight";
                tensors[culprit] = torch.ones(40, 4, torch.ScalarType.Int64);
                break;
            case "NaN":
                culprit = Layer + ".lora_A.weight";
                tensors[culprit] = torch.full(4, 40, double.NaN);
                break;
            case "dtype mismatch":
                culprit = Layer + ".lora_B.weight";
                tensors[culprit] = torch.randn(40, 4).to(torch.ScalarType.BFloat16);
                break;
            default:
                culprit = breakage;
                tensors[culprit] = torch.randn(4, 40);
                break;
        }

        foreach (var path in new[] { _files.WriteTorch("broken", tensors, AdapterFiles.OfficialConfig()), _files.WriteSafetensors("broken", tensors) })
        {
            var error = Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(path));
            Assert.Equal(culprit, error.Key);
            Assert.Contains(culprit, error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        AdapterFiles.DisposeAll(tensors);
    }

    [Fact]
    public void Files_that_are_not_adapters_are_clear_errors()
    {
        var garbage = Path.Combine(_files.Root, "garbage");
        Directory.CreateDirectory(garbage);
        File.WriteAllBytes(Path.Combine(garbage, LoraAdapterReader.WeightsFileName), [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Contains("torch.save archive", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(garbage)).Message, StringComparison.Ordinal);

        var notTensor = _files.WriteTorch("not-a-tensor", new Hashtable { ["video_dit.blocks.0.self_attn.q.lora_A.weight"] = "text" }, null);
        Assert.Contains("not a tensor", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(notTensor)).Message, StringComparison.Ordinal);

        Assert.Contains("holds no LoRA tensors", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(_files.WriteTorch("empty", new Hashtable(), null))).Message, StringComparison.Ordinal);

        var tensors = AdapterFiles.RandomTensors(_catalog, rank: 2, torch.ScalarType.Float32, seed: 5);
        var two = Path.Combine(_files.Root, "two");
        Directory.CreateDirectory(two);
        SafetensorsWriter.Write(Path.Combine(two, "a.safetensors"), tensors);
        SafetensorsWriter.Write(Path.Combine(two, "b.safetensors"), tensors);
        Assert.Contains("holds 2 .safetensors files", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(two)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(Path.Combine(_files.Root, "missing"))).Message, StringComparison.Ordinal);
        var text = Path.Combine(_files.Root, "adapter.txt");
        File.WriteAllText(text, "hello");
        Assert.Contains("extension", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(text)).Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_files.Root, "bad.safetensors"), "not safetensors");
        Assert.Contains("not a readable safetensors file", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(Path.Combine(_files.Root, "bad.safetensors"))).Message, StringComparison.Ordinal);
        AdapterFiles.DisposeAll(tensors);
    }

    [Fact]
    public void Keys_that_do_not_fit_the_model_are_clear_errors_naming_the_layer()
    {
        var cases = new (string Layer, long In, long Out, string Expected)[]
        {
            ("video_dit.blocks.2.self_attn.q", 40, 40, "names no Linear layer of the model"),
            ("video_dit.head.head", 40, 64, "never adapts"),
            ("audio_dit.time_projection.1", 20, 120, "never adapts"),
            ("video_dit.blocks.0.ffn.0", 40, 40, "do not fit the layer (40 inputs, 80 outputs)"),
            ("dual_tower_bridge.audio_to_video_conditioners.0.inner.k", 40, 40, "lora_A must be [rank, 20]"),
        };
        foreach (var (layer, inputs, outputs, expected) in cases)
        {
            var tensors = new Dictionary<string, torch.Tensor>
            {
                [layer + ".lora_A.weight"] = torch.randn(2, inputs),
                [layer + ".lora_B.weight"] = torch.randn(outputs, 2),
                ["video_dit.blocks.0.self_attn.k.lora_A.weight"] = torch.randn(2, 40),
                ["video_dit.blocks.0.self_attn.k.lora_B.weight"] = torch.randn(40, 2),
            };
            using var adapter = LoraAdapter.FromStateDict(tensors, 16.0, "test");
            var error = Assert.Throws<LoraAdapterException>(() => _catalog.Validate(adapter));
            Assert.Equal(layer, error.Key);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            AdapterFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void A_size_limit_refuses_large_files_and_archives_that_unpack_beyond_it()
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            ["video_dit.blocks.0.ffn.0.lora_A.weight"] = torch.zeros(64, 40),
            ["video_dit.blocks.0.ffn.0.lora_B.weight"] = torch.zeros(80, 64),
        };
        var folder = _files.WriteTorch("zeros", tensors, AdapterFiles.OfficialConfig());
        var packed = new FileInfo(Path.Combine(folder, LoraAdapterReader.WeightsFileName)).Length;
        var raw = (64 * 40 + 80 * 64) * sizeof(float);
        Assert.True(packed < raw / 2, $"the archive ({packed} bytes) should pack the zeros well below {raw} bytes");

        using (var fits = LoraAdapterReader.Read(folder, maxBytes: raw + 4096))
        {
            Assert.Equal(64, fits.Layers.Values.Single().Rank);
        }

        var unpacks = Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(folder, maxBytes: packed + 1));
        Assert.Contains("unpacks to", unpacks.Message, StringComparison.Ordinal);
        Assert.Contains("is " + packed + " bytes", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(folder, maxBytes: packed - 1)).Message, StringComparison.Ordinal);
        var safetensors = _files.WriteSafetensors("zeros", tensors);
        Assert.Contains("more than the limit", Assert.Throws<LoraAdapterException>(() => LoraAdapterReader.Read(safetensors, maxBytes: raw / 2)).Message, StringComparison.Ordinal);
        AdapterFiles.DisposeAll(tensors);
    }

    public void Dispose() => _files.Dispose();
}
