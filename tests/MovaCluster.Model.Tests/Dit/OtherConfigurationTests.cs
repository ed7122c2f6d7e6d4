using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Dit;

/// <summary>Configurations other than the golden one run and keep their shapes.</summary>
public sealed class OtherConfigurationTests
{
    public static IEnumerable<object[]> Cases() =>
    [
        // strategy, video dim/heads/layers, audio dim/heads/layers, T, H, W (latent), Ta, fps
        ["full", 48, 2, 3, 24, 1, 2, 3L, 4L, 6L, 17L, 24.0],
        ["shallow_focus", 96, 2, 9, 48, 2, 6, 2L, 6L, 2L, 11L, 25.0],
        ["shallow_focus", 48, 2, 2, 24, 1, 2, 1L, 2L, 2L, 5L, 24.0],
        ["distributed", 96, 4, 7, 48, 2, 7, 5L, 2L, 4L, 31L, 30.0],
        ["progressive", 48, 2, 12, 24, 1, 10, 3L, 2L, 2L, 9L, 12.5],
        ["custom", 144, 3, 14, 96, 4, 13, 1L, 10L, 2L, 7L, 24.0],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_runs_and_keeps_shapes(string strategy, int videoDim, int videoHeads, int videoLayers, int audioDim, int audioHeads, int audioLayers, long t, long h, long w, long ta, double fps)
    {
        var shape = new RandomDenoiser.Shape(
            VideoDim: videoDim, VideoHeads: videoHeads, VideoLayers: videoLayers, AudioDim: audioDim, AudioHeads: audioHeads, AudioLayers: audioLayers,
            BridgeHeadDim: videoDim / videoHeads, Strategy: strategy, FirstFrameBias: strategy == "distributed");
        using var denoiser = RandomDenoiser.Create(shape, seed: videoDim + videoLayers);
        var input = RandomDenoiser.Input(denoiser, t, 2 * h, 2 * w, ta, seed: 3, fps: fps);
        using (input.VideoInput)
        using (input.AudioLatents)
        using (input.Context)
        {
            foreach (var expert in new[] { VideoExpert.HighNoise, VideoExpert.LowNoise })
            {
                using var velocity = denoiser.Predict(expert, input);
                Assert.Equal(new[] { 1L, 16, t, 2 * h, 2 * w }, velocity.Video.shape);
                Assert.Equal(new[] { 1L, 8, ta }, velocity.Audio.shape);
                Assert.Equal(torch.ScalarType.Float32, velocity.Video.dtype);
                Assert.True(velocity.Video.isfinite().all().item<bool>() && velocity.Audio.isfinite().all().item<bool>());
            }

            using var high = denoiser.Predict(VideoExpert.HighNoise, input);
            using var low = denoiser.Predict(VideoExpert.LowNoise, input);
            Assert.False(high.Video.allclose(low.Video), "the two experts have different weights and must differ");
        }
    }

    [Fact]
    public void Bridge_conditioning_changes_the_output_and_a_zero_scale_removes_it()
    {
        using var denoiser = RandomDenoiser.Create(new RandomDenoiser.Shape(), seed: 11);
        var input = RandomDenoiser.Input(denoiser, 3, 4, 4, 13, seed: 5);
        using (input.VideoInput)
        using (input.AudioLatents)
        using (input.Context)
        using (var withBridge = denoiser.Predict(VideoExpert.HighNoise, input))
        using (var noBridge = denoiser.Predict(VideoExpert.HighNoise, input with { AudioToVideoScale = 0, VideoToAudioScale = 0 }))
        using (var noCrossRope = RandomDenoiser.Create(new RandomDenoiser.Shape(CrossRope: false), seed: 11))
        using (var withoutRope = noCrossRope.Predict(VideoExpert.HighNoise, input))
        {
            Assert.False(withBridge.Video.allclose(noBridge.Video));
            Assert.False(withBridge.Audio.allclose(noBridge.Audio));
            Assert.False(withBridge.Video.allclose(withoutRope.Video), "cross-modal RoPE must change the bridge attention");
        }
    }

    [Fact]
    public void Bfloat16_policy_runs_with_float32_time_embedding_and_stays_close_to_float32()
    {
        using var f32 = RandomDenoiser.Create(new RandomDenoiser.Shape(), seed: 21);
        using var bf16 = RandomDenoiser.Create(new RandomDenoiser.Shape(), seed: 21, DTypePolicy.BFloat16);
        Assert.Equal(torch.ScalarType.Float32, bf16.HighNoise.state_dict()["time_embedding.0.weight"].dtype);
        Assert.Equal(torch.ScalarType.BFloat16, bf16.HighNoise.state_dict()["blocks.0.self_attn.q.weight"].dtype);
        var input = RandomDenoiser.Input(f32, 2, 4, 4, 9, seed: 7);
        using (input.VideoInput)
        using (input.AudioLatents)
        using (input.Context)
        using (var a = f32.Predict(VideoExpert.HighNoise, input))
        using (var b = bf16.Predict(VideoExpert.HighNoise, input))
        {
            Assert.Equal(torch.ScalarType.Float32, b.Video.dtype);
            Assert.InRange(TensorAssert.RelativeError(b.Video, a.Video), 1e-5, 5e-2);
        }
    }

    [Fact]
    public void Head_dims_that_cannot_split_into_three_rope_axes_are_rejected_by_config_validation()
    {
        var (video, _, _) = RandomDenoiser.Configs(new RandomDenoiser.Shape(VideoDim: 128, VideoHeads: 2));
        Assert.Contains(video.Validate(), e => e.Contains("3-D RoPE", StringComparison.Ordinal));
    }
}
