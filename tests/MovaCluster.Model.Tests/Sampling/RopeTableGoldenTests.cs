using MovaCluster.Model.Positional;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Sampling;

public sealed class RopeTableGoldenTests(ITestOutputHelper output)
{
    /// <summary>The RoPE case and each parameter group of it that describes bridge tables (a grid, two fps and Ta).</summary>
    public static TheoryData<string, string> BridgeVariants()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in GoldenSet.RopeCases)
        {
            foreach (var group in GoldenSet.CaseEntry(name).GetProperty("params").EnumerateObject())
            {
                if (group.Value.ValueKind == System.Text.Json.JsonValueKind.Object && new[] { "grid", "Ta", "audio_fps", "video_fps", "head_dim" }.All(k => group.Value.TryGetProperty(k, out _)))
                {
                    data.Add(name, group.Name);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> RopeCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in GoldenSet.RopeCases)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_lists_rope_tables_with_bridge_variants()
    {
        Assert.NotEmpty(GoldenSet.RopeCases);
        Assert.NotEmpty(BridgeVariants());
    }

    [Theory]
    [MemberData(nameof(RopeCases))]
    public void Tower_tables_match_the_official_complex128_tables(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        var video = golden.Params.GetProperty("video_self_attn");
        var grid = video.GetProperty("grid").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        using var videoTable = RotaryTables.Video(video.GetProperty("head_dim").GetInt32(), grid[0], grid[1], grid[2], torch.CPU);
        Check(videoTable, golden.Complex("video_self_attn.freqs"), 1e-15, "video 3-D");

        var audio = golden.Params.GetProperty("audio_self_attn");
        using var audioTable = RotaryTables.Audio(audio.GetProperty("head_dim").GetInt32(), audio.GetProperty("length").GetInt64(), torch.CPU);
        Check(audioTable, golden.Complex("audio_self_attn.freqs"), 1e-15, "audio 1-D");

        var ckpt = golden.Params.GetProperty("ckpt_dims");
        var ckptGrid = ckpt.GetProperty("grid").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var headDim = ckpt.GetProperty("head_dim").GetInt32();
        using var ckptVideo = RotaryTables.Video(headDim, ckptGrid[0], ckptGrid[1], ckptGrid[2], torch.CPU);
        Check(ckptVideo, golden.Complex("ckpt_dims.video_self_attn.freqs"), 1e-15, "checkpoint-size video");
        using var ckptAudio = RotaryTables.Audio(headDim, ckpt.GetProperty("Ta").GetInt64(), torch.CPU);
        Check(ckptAudio, golden.Complex("ckpt_dims.audio_self_attn.freqs"), 1e-15, "checkpoint-size audio");
    }

    [Theory]
    [MemberData(nameof(BridgeVariants))]
    public void Bridge_tables_match_the_official_float32_tables(string caseName, string variant)
    {
        using var golden = new GoldenCase(caseName);
        var p = golden.Params.GetProperty(variant);
        var grid = p.GetProperty("grid").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var firstFrameBias = p.TryGetProperty("apply_first_frame_bias_in_rope", out var bias) && bias.GetBoolean();
        using var tables = BridgeRotary.Build(
            p.GetProperty("head_dim").GetInt32(),
            p.GetProperty("audio_fps").GetDouble(),
            p.GetProperty("video_fps").GetDouble(),
            (grid[0], grid[1], grid[2]),
            p.GetProperty("Ta").GetInt64(),
            firstFrameBias,
            torch.ScalarType.Float32,
            torch.CPU);
        // A group holding tower tables too keeps its bridge tables under <group>.bridge.
        var prefix = golden.Has($"{variant}.visual_cos") ? variant : $"{variant}.bridge";
        Check(tables.VideoCos, golden[$"{prefix}.visual_cos"], 1e-6, $"{variant} video cos");
        Check(tables.VideoSin, golden[$"{prefix}.visual_sin"], 1e-6, $"{variant} video sin");
        Check(tables.AudioCos, golden[$"{prefix}.audio_cos"], 1e-6, $"{variant} audio cos");
        Check(tables.AudioSin, golden[$"{prefix}.audio_sin"], 1e-6, $"{variant} audio sin");
    }

    [Theory]
    [MemberData(nameof(RopeCases))]
    public void Sinusoid_matches_for_every_timestep_and_dim(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        var timesteps = golden["sinusoid.timesteps"];
        foreach (var name in golden.TensorNames.Where(n => n.StartsWith("sinusoid.dim", StringComparison.Ordinal)))
        {
            var dim = int.Parse(name["sinusoid.dim".Length..], System.Globalization.CultureInfo.InvariantCulture);
            using var embedding = SinusoidalTimeEmbedding.Compute(dim, timesteps);
            Check(embedding, golden[name], 1e-6, name);
        }
    }

    private void Check(torch.Tensor actual, torch.Tensor expected, double tolerance, string what)
    {
        using var a = actual.is_complex() ? torch.view_as_real(actual) : actual.alias();
        using var e = expected.is_complex() ? torch.view_as_real(expected) : expected.alias();
        var error = TensorAssert.Close(a, e, tolerance, what);
        output.WriteLine($"rope_tables {what}: max rel err {error:E2}");
    }
}
