using MovaCluster.Model.Denoising;
using MovaCluster.Model.Positional;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Dit;

/// <summary>Single official calls from the golden manifest: the two DiT blocks, the bridge layer, both single steps.</summary>
public sealed class GoldenModuleTests(TinyModelFixture fixture, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> BlockCases() => Data(GoldenSet.BlockCases);

    public static TheoryData<string> BridgeLayerCases() => Data(GoldenSet.BridgeLayerCases);

    public static TheoryData<string> SingleStepCases() => Data(GoldenSet.SingleStepCases);

    [Fact]
    public void The_manifest_lists_blocks_of_both_towers_a_bridge_layer_and_a_single_step_of_each_expert()
    {
        Assert.Contains(GoldenSet.BlockCases, n => GoldenSet.BlockOf(n).Component.StartsWith("video_dit", StringComparison.Ordinal));
        Assert.Contains(GoldenSet.BlockCases, n => GoldenSet.BlockOf(n).Component == "audio_dit");
        Assert.NotEmpty(GoldenSet.BridgeLayerCases);
        Assert.Equal(Enum.GetValues<VideoExpert>(), GoldenSet.SingleStepCases.Select(GoldenSet.ExpertOf).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(BlockCases))]
    public void Block_matches_the_official_block(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        using var scope = torch.NewDisposeScope();
        var (component, index) = GoldenSet.BlockOf(caseName);
        var denoiser = fixture.Denoiser;
        var block = component switch
        {
            "audio_dit" => denoiser.Audio.Blocks[index],
            "video_dit" => denoiser.HighNoise.Blocks[index],
            "video_dit_2" => denoiser.LowNoise.Blocks[index],
            _ => throw new InvalidDataException($"Block case '{caseName}' runs a block of unknown component '{component}'."),
        };
        var result = block.Forward(golden["input.x"], golden["input.context"], golden["input.t_mod"], golden.Complex("input.freqs"));
        Report(golden, "output.x", result);
    }

    [Theory]
    [MemberData(nameof(BridgeLayerCases))]
    public void Bridge_layer_matches_with_default_and_per_direction_scales(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        using var scope = torch.NewDisposeScope();
        var layer = golden.Params.GetProperty("layer_idx").GetInt32();
        using var rope = new BridgeRopeTables(
            golden["input.visual_rope_cos"].alias(), golden["input.visual_rope_sin"].alias(), golden["input.audio_rope_cos"].alias(), golden["input.audio_rope_sin"].alias());
        var bridge = fixture.Denoiser.Bridge;

        var (video, audio) = bridge.Forward(layer, golden["input.visual"], golden["input.audio"], rope);
        Report(golden, "output.visual", video);
        Report(golden, "output.audio", audio);

        var (videoScaled, audioScaled) = bridge.Forward(layer, golden["input.visual"], golden["input.audio"], rope, audioToVideoScale: 0.5, videoToAudioScale: 2.0);
        Report(golden, "output.visual_scaled", videoScaled);
        Report(golden, "output.audio_scaled", audioScaled);
    }

    [Theory]
    [MemberData(nameof(SingleStepCases))]
    public void Single_step_matches_inference_single_step_including_intermediates(string caseName)
    {
        using var golden = new GoldenCase(caseName);
        using var scope = torch.NewDisposeScope();
        var expert = GoldenSet.ExpertOf(caseName);
        var input = golden.SingleStepInput();
        var denoiser = fixture.Denoiser;

        using var prepared = denoiser.Prepare(expert, input);
        Report(golden, "intermediate.visual_tokens", prepared.Activations.Video);
        Report(golden, "intermediate.audio_tokens", prepared.Activations.Audio);
        Report(golden, "intermediate.visual_t", prepared.VideoTimeEmbedding);
        Report(golden, "intermediate.visual_t_mod", prepared.Conditioning.VideoTMod);
        Report(golden, "intermediate.audio_t", prepared.AudioTimeEmbedding);
        Report(golden, "intermediate.audio_t_mod", prepared.Conditioning.AudioTMod);
        Report(golden, "intermediate.visual_context_emb", prepared.Conditioning.VideoContext);
        Report(golden, "intermediate.audio_context_emb", prepared.Conditioning.AudioContext);
        Report(golden, "intermediate.bridge_visual_rope_cos", prepared.Conditioning.BridgeRope!.VideoCos);
        Report(golden, "intermediate.bridge_audio_rope_sin", prepared.Conditioning.BridgeRope!.AudioSin);
        TensorAssert.Close(prepared.Conditioning.VideoFreqs, golden.Complex("intermediate.visual_freqs"), 1e-12, "visual freqs");
        TensorAssert.Close(prepared.Conditioning.AudioFreqs, golden.Complex("intermediate.audio_freqs"), 1e-12, "audio freqs");

        var activations = prepared.Activations;
        var owned = new List<DualTowerActivations>();
        for (var layer = 0; layer < denoiser.LayerCount; layer++)
        {
            var next = denoiser.RunLayers(prepared, activations, layer, layer + 1);
            owned.Add(next);
            activations = next;
            // Each tower's block outputs up to its own depth (the shallower tower's states pass through the rest).
            if (layer < denoiser.HighNoise.Config.NumLayers)
            {
                Report(golden, $"intermediate.visual_block{layer}_out", activations.Video);
            }

            if (layer < denoiser.Audio.Config.NumLayers)
            {
                Report(golden, $"intermediate.audio_block{layer}_out", activations.Audio);
            }
        }

        using var velocity = denoiser.Finish(prepared, activations);
        Report(golden, "output.visual", velocity.Video);
        Report(golden, "output.audio", velocity.Audio);
        Report(golden, "reference_f64.output.visual", velocity.Video, 1e-5);
        Report(golden, "reference_f64.output.audio", velocity.Audio, 1e-5);
        owned.ForEach(a => a.Dispose());

        using var whole = denoiser.Predict(expert, input);
        TensorAssert.Equal(whole.Video, velocity.Video, "Predict vs layer-by-layer video");
        TensorAssert.Equal(whole.Audio, velocity.Audio, "Predict vs layer-by-layer audio");
    }

    private static TheoryData<string> Data(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names)
        {
            data.Add(name);
        }

        return data;
    }

    private void Report(GoldenCase golden, string name, torch.Tensor actual, double tolerance = Tolerance)
    {
        var error = TensorAssert.Close(actual, golden[name], tolerance, $"{golden.Name}/{name}");
        output.WriteLine($"{golden.Name} {name}: max rel err {error:E2}");
    }
}
