using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Codecs;

public sealed class DacAudioDecoderGoldenTests
{
    // The tiny DAC cases sit at ~3e-7 relative (fp32 vs fp64); twice that plus headroom.
    private const double Tolerance = 2e-6;

    private static IReadOnlyList<string> DacCases() => GoldenSet.DacCases;

    [Fact]
    public void Every_dac_case_matches_audio_and_per_layer_outputs()
    {
        var cases = DacCases();
        Assert.NotEmpty(cases);
        using var decoder = DacAudioDecoder.FromFolder(GoldenSet.Component("audio_vae"), torch.CPU);
        foreach (var name in cases)
        {
            using var scope = torch.NewDisposeScope();
            using var file = GoldenSet.OpenCase(name);
            var layers = new Dictionary<string, torch.Tensor>();
            var audio = decoder.Decode(file.Read("input.z"), (i, t) =>
                layers[i < 0 ? "intermediate.post_quant_conv" : $"intermediate.decoder.model.{i}"] = t.clone().DetachFromDisposeScope());

            long expectedSamples = GoldenSet.CaseEntry(name).GetProperty("params").GetProperty("expected_samples").GetInt64();
            Assert.Equal(expectedSamples, audio.shape[^1]);
            TensorAssert.Close(audio, file.Read("output.audio"), Tolerance, $"{name}: audio");
            foreach (var (key, value) in layers)
            {
                if (file.Contains(key))
                {
                    TensorAssert.Close(value, file.Read(key), Tolerance, $"{name}: {key}");
                }

                value.Dispose();
            }
        }
    }

    [Fact]
    public void Weight_norm_folding_matches_the_official_effective_weights()
    {
        var cases = DacCases();
        using var checkpoint = SafetensorsCheckpoint.Open(GoldenSet.Component("audio_vae"));
        int compared = 0;
        foreach (var name in cases)
        {
            using var file = GoldenSet.OpenCase(name);
            foreach (var key in file.Tensors.Keys.Where(k => k.StartsWith("folded.", StringComparison.Ordinal)))
            {
                string stem = key["folded.".Length..^".weight".Length];
                using var g = checkpoint.Read(stem + ".weight_g");
                using var v = checkpoint.Read(stem + ".weight_v");
                using var folded = DacCheckpointLoader.FoldWeightNorm(g, v);
                using var expected = file.Read(key);
                TensorAssert.Close(folded, expected, 1e-6, key);
                compared++;
            }
        }

        // Every effective weight the manifest lists (the tiny set: one Conv1d and one ConvTranspose1d, whose norm is per input channel).
        var listed = cases.Sum(n => GoldenSet.CaseEntry(n).GetProperty("tensors").EnumerateObject().Count(t => t.Name.StartsWith("folded.", StringComparison.Ordinal)));
        Assert.True(listed > 0, "the DAC cases list no folded.* weights");
        Assert.Equal(listed, compared);
    }

    [Fact]
    public void Parametrizations_and_plain_weight_forms_load_to_the_same_decoder()
    {
        using var reference = DacAudioDecoder.FromFolder(GoldenSet.Component("audio_vae"), torch.CPU);
        using var checkpoint = SafetensorsCheckpoint.Open(GoldenSet.Component("audio_vae"));
        string folder = Directory.CreateTempSubdirectory("dac-forms").FullName;
        try
        {
            var parametrized = new Dictionary<string, torch.Tensor>();
            var plain = new Dictionary<string, torch.Tensor>();
            foreach (var key in checkpoint.Keys)
            {
                var value = checkpoint.Read(key);
                parametrized[key.Replace(".weight_g", ".parametrizations.weight.original0", StringComparison.Ordinal)
                    .Replace(".weight_v", ".parametrizations.weight.original1", StringComparison.Ordinal)] = value;
            }

            foreach (var (key, value) in reference.state_dict())
            {
                plain[key] = value;
            }

            File.Copy(Path.Combine(GoldenSet.Component("audio_vae"), "config.json"), Path.Combine(folder, "config.json"));
            string parametrizedFolder = Directory.CreateDirectory(Path.Combine(folder, "p")).FullName;
            string plainFolder = Directory.CreateDirectory(Path.Combine(folder, "w")).FullName;
            File.Copy(Path.Combine(folder, "config.json"), Path.Combine(parametrizedFolder, "config.json"));
            File.Copy(Path.Combine(folder, "config.json"), Path.Combine(plainFolder, "config.json"));
            SafetensorsWriter.Write(Path.Combine(parametrizedFolder, "diffusion_pytorch_model.safetensors"), parametrized);
            SafetensorsWriter.Write(Path.Combine(plainFolder, "diffusion_pytorch_model.safetensors"), plain);

            using var z = torch.randn(1, reference.Config.EffectiveLatentDim, 7, generator: new torch.Generator(3));
            using var expected = reference.Decode(z);
            using var fromParametrized = DacAudioDecoder.FromFolder(parametrizedFolder, torch.CPU);
            using var fromPlain = DacAudioDecoder.FromFolder(plainFolder, torch.CPU);
            using var a = fromParametrized.Decode(z);
            using var b = fromPlain.Decode(z);
            TensorAssert.Equal(a, expected, "parametrizations form");
            TensorAssert.Equal(b, expected, "plain weight form");
            foreach (var value in parametrized.Values)
            {
                value.Dispose();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_missing_decoder_tensor_is_a_clear_error()
    {
        using var checkpoint = SafetensorsCheckpoint.Open(GoldenSet.Component("audio_vae"));
        string folder = Directory.CreateTempSubdirectory("dac-missing").FullName;
        try
        {
            // The first decoder convolution's weight-norm magnitude (or its plain weight when the set has no weight norm).
            var removed = checkpoint.Keys.FirstOrDefault(k => k.StartsWith("decoder.", StringComparison.Ordinal) && k.EndsWith(".weight_g", StringComparison.Ordinal))
                ?? checkpoint.Keys.First(k => k.StartsWith("decoder.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal));
            var stem = removed[..removed.LastIndexOf('.')];
            var tensors = checkpoint.Keys.Where(k => k != removed).ToDictionary(k => k, checkpoint.Read);
            File.Copy(Path.Combine(GoldenSet.Component("audio_vae"), "config.json"), Path.Combine(folder, "config.json"));
            SafetensorsWriter.Write(Path.Combine(folder, "diffusion_pytorch_model.safetensors"), tensors);

            var error = Assert.Throws<CheckpointMismatchException>(() => DacAudioDecoder.FromFolder(folder, torch.CPU));
            Assert.Contains(stem + ".weight", error.MissingKeys);
            if (removed.EndsWith(".weight_g", StringComparison.Ordinal))
            {
                Assert.Contains(stem + ".weight_v", error.UnexpectedKeys);
            }
            foreach (var value in tensors.Values)
            {
                value.Dispose();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
