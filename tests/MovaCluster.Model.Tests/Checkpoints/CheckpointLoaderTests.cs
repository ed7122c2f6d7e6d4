using MovaCluster.Model.Checkpoints;
using TorchSharp;

namespace MovaCluster.Model.Tests.Checkpoints;

public sealed class CheckpointLoaderTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mova-load-").FullName;

    [Fact]
    public void Load_copies_by_exact_key_and_converts_to_the_parameter_dtype()
    {
        using var module = new TwoLinears();
        module.to(torch.ScalarType.BFloat16);
        using var w = torch.arange(12, dtype: torch.ScalarType.Float32).reshape(3, 4);
        using var b = torch.arange(3, dtype: torch.ScalarType.Float32);
        using var w2 = torch.ones(2, 3);
        using var b2 = torch.zeros(2);
        Save(new() { ["first.weight"] = w, ["first.bias"] = b, ["second.weight"] = w2, ["second.bias"] = b2 });

        using var checkpoint = SafetensorsCheckpoint.Open(_temp);
        CheckpointLoader.Load(module, checkpoint);

        var loaded = module.state_dict()["first.weight"];
        Assert.Equal(torch.ScalarType.BFloat16, loaded.dtype);
        Assert.Equal(w.data<float>().ToArray(), loaded.to(torch.ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void Missing_and_unexpected_keys_fail_with_both_lists_and_nothing_copied()
    {
        using var module = new TwoLinears();
        using var w = torch.zeros(3, 4);
        using var b = torch.zeros(3);
        using var extra = torch.zeros(1);
        Save(new() { ["first.weight"] = w, ["first.bias"] = b, ["third.weight"] = extra });
        var before = module.state_dict()["first.weight"].clone();

        using var checkpoint = SafetensorsCheckpoint.Open(_temp);
        var error = Assert.Throws<CheckpointMismatchException>(() => CheckpointLoader.Load(module, checkpoint));

        Assert.Equal(["second.bias", "second.weight"], error.MissingKeys);
        Assert.Equal(["third.weight"], error.UnexpectedKeys);
        Assert.Contains("Missing keys (2): second.bias, second.weight.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected keys (1): third.weight.", error.Message, StringComparison.Ordinal);
        Assert.True(before.eq(module.state_dict()["first.weight"]).all().item<bool>());
    }

    [Fact]
    public void Shape_mismatch_fails_with_both_shapes()
    {
        using var module = new TwoLinears();
        using var w = torch.zeros(4, 3);
        using var b = torch.zeros(3);
        using var w2 = torch.zeros(2, 3);
        using var b2 = torch.zeros(2);
        Save(new() { ["first.weight"] = w, ["first.bias"] = b, ["second.weight"] = w2, ["second.bias"] = b2 });

        using var checkpoint = SafetensorsCheckpoint.Open(_temp);
        var error = Assert.Throws<CheckpointMismatchException>(() => CheckpointLoader.Load(module, checkpoint));

        Assert.Equal(["first.weight: checkpoint [4, 3] vs module [3, 4]"], error.ShapeMismatches);
    }

    [Fact]
    public void Dtype_policy_keeps_time_embedding_in_float32()
    {
        Assert.Equal(torch.ScalarType.Float32, DTypePolicy.BFloat16.ForKey("time_embedding.0.weight"));
        Assert.Equal(torch.ScalarType.Float32, DTypePolicy.BFloat16.ForKey("time_projection.1.bias"));
        Assert.Equal(torch.ScalarType.BFloat16, DTypePolicy.BFloat16.ForKey("blocks.0.self_attn.q.weight"));
        Assert.Equal(torch.ScalarType.Float32, DTypePolicy.Float32.ForKey("blocks.0.self_attn.q.weight"));
    }

    private void Save(Dictionary<string, torch.Tensor> tensors) =>
        SafetensorsWriter.Write(Path.Combine(_temp, "diffusion_pytorch_model.safetensors"), tensors);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private sealed class TwoLinears : torch.nn.Module
    {
        public TwoLinears()
            : base(nameof(TwoLinears))
        {
            register_module("first", torch.nn.Linear(4, 3));
            register_module("second", torch.nn.Linear(3, 2));
        }
    }
}
