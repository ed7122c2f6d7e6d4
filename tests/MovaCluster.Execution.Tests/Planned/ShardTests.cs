using MovaCluster.Execution.Planned;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Nn;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Execution.Tests.Planned;

public sealed class ShardTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    /// <summary>Over the set's stack of L layers: one shard, every two-shard cut, and one shard per layer.</summary>
    public static TheoryData<int[]> Splits()
    {
        var layers = GoldenSet.StackLayers;
        var splits = new List<int[]> { new[] { 0, layers } };
        splits.AddRange(Enumerable.Range(1, layers - 1).Select(cut => new[] { 0, cut, layers }));
        splits.Add([.. Enumerable.Range(0, layers + 1)]);
        var data = new TheoryData<int[]>();
        foreach (var split in splits.DistinctBy(s => string.Join("/", s)))
        {
            data.Add(split);
        }

        return data;
    }

    // Two shards cut after the first layer, and two cut before the last one (one shard when the stack has one layer).
    private static int[] EarlyCut => GoldenSet.StackLayers > 1 ? [0, 1, GoldenSet.StackLayers] : [0, 1];

    private static int[] LateCut => GoldenSet.StackLayers > 1 ? [0, GoldenSet.StackLayers - 1, GoldenSet.StackLayers] : [0, 1];

    [Theory]
    [MemberData(nameof(Splits))]
    public void Chained_shards_equal_the_unsharded_forward_exactly(int[] boundaries)
    {
        foreach (var expert in new[] { VideoExpert.HighNoise, VideoExpert.LowNoise })
        {
            var shards = BuildShards(expert, boundaries);
            try
            {
                using var golden = new GoldenCase(GoldenSet.SingleStepCase(expert));
                var input = golden.SingleStepInput();
                using var whole = fixture.Denoiser.Predict(expert, input);

                var executor = new ShardedStepExecutor(fixture.Denoiser, _ => shards);
                var request = new StepRequest(0, expert, input.VideoInput, input.AudioLatents, input.Context, null, input.Timestep, input.AudioTimestep, input.VideoFps);
                using var sharded = executor.Evaluate(request, CancellationToken.None);

                TensorAssert.Equal(sharded.Positive.Video, whole.Video, $"{expert} video, split {string.Join("/", boundaries)}");
                TensorAssert.Equal(sharded.Positive.Audio, whole.Audio, $"{expert} audio, split {string.Join("/", boundaries)}");
            }
            finally
            {
                shards.ForEach(s => s.Dispose());
            }
        }
    }

    [Fact]
    public void Sharded_sampling_equals_local_sampling_exactly()
    {
        var high = BuildShards(VideoExpert.HighNoise, EarlyCut);
        var low = BuildShards(VideoExpert.LowNoise, LateCut);
        try
        {
            using var golden = new GoldenCase(GoldenSet.LoopCase());
            var (request, options, _) = SamplingLoopCase.Build(golden);
            using var condition = request.Condition;
            using var local = MovaSampler.Run(new LocalStepExecutor(fixture.Denoiser), request, options);
            using var sharded = MovaSampler.Run(new ShardedStepExecutor(fixture.Denoiser, e => e == VideoExpert.HighNoise ? high : low), request, options);
            TensorAssert.Equal(sharded.VideoLatents, local.VideoLatents, "video");
            TensorAssert.Equal(sharded.AudioLatents, local.AudioLatents, "audio");
        }
        finally
        {
            high.ForEach(s => s.Dispose());
            low.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Stem_only_denoiser_with_shards_equals_the_full_model_and_holds_no_blocks()
    {
        using var stem = MovaDenoiserLoader.LoadStem(GoldenSet.Root, DTypePolicy.Float32, torch.CPU);
        Assert.False(stem.HighNoise.HasBlocks);
        Assert.DoesNotContain(stem.HighNoise.state_dict().Keys, k => k.StartsWith("blocks.", StringComparison.Ordinal));
        Assert.Empty(stem.Bridge.state_dict());
        var shards = BuildShards(VideoExpert.HighNoise, LateCut);
        try
        {
            using var golden = new GoldenCase(GoldenSet.SingleStepCase(VideoExpert.HighNoise));
            var input = golden.SingleStepInput();
            using var whole = fixture.Denoiser.Predict(VideoExpert.HighNoise, input);
            var request = new StepRequest(0, VideoExpert.HighNoise, input.VideoInput, input.AudioLatents, input.Context, input.Context, input.Timestep, input.AudioTimestep, input.VideoFps);
            using var sharded = new ShardedStepExecutor(stem, _ => shards).Evaluate(request, CancellationToken.None);
            TensorAssert.Equal(sharded.Positive.Video, whole.Video, "video");
            TensorAssert.Equal(sharded.Negative!.Audio, whole.Audio, "audio");
            Assert.Throws<InvalidOperationException>(() => stem.Predict(VideoExpert.HighNoise, input));
        }
        finally
        {
            shards.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Parameter_bytes_match_the_estimator_and_add_up_to_the_stack()
    {
        var (video, audio, bridge) = Configs();
        var shards = BuildShards(VideoExpert.HighNoise, EarlyCut);
        try
        {
            foreach (var policy in new[] { DTypePolicy.Float32, DTypePolicy.BFloat16 })
            {
                var bytes = policy.WeightDType == torch.ScalarType.Float32 ? 4 : 2;
                foreach (var shard in shards)
                {
                    Assert.Equal(shard.ParameterBytes * bytes / 4, ShardMemoryEstimator.ParameterBytes(video, audio, bridge, shard.Start, shard.End, policy));
                }
            }

            using var videoCkpt = SafetensorsCheckpoint.Open(GoldenSet.Component("video_dit"));
            using var audioCkpt = SafetensorsCheckpoint.Open(GoldenSet.Component("audio_dit"));
            using var bridgeCkpt = SafetensorsCheckpoint.Open(GoldenSet.Component("dual_tower_bridge"));
            long Elements(SafetensorsCheckpoint c, Func<string, bool> keep) => c.Keys.Where(keep).Sum(k => c.GetInfo(k).ElementCount);
            var stackElements = Elements(videoCkpt, k => k.StartsWith("blocks.", StringComparison.Ordinal))
                + Elements(audioCkpt, k => k.StartsWith("blocks.", StringComparison.Ordinal))
                + Elements(bridgeCkpt, _ => true);
            Assert.Equal(stackElements * 4, shards.Sum(s => s.ParameterBytes));
        }
        finally
        {
            shards.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Token_counts_and_activation_estimates_follow_the_geometry()
    {
        Assert.Equal(new TokenCounts(43_120, 403), TokenCounts.ForVideo(352, 640, 193, 24.0));
        Assert.Equal(new TokenCounts(176_400, 403), TokenCounts.ForVideo(720, 1280, 193, 24.0));
        Assert.Throws<ArgumentException>(() => TokenCounts.ForVideo(360, 640, 193, 24.0));

        var video = new WanModelConfig { Dim = 5120, InDim = 36, FfnDim = 13824, OutDim = 16, TextDim = 4096, FreqDim = 256, PatchSize = [1, 2, 2], NumHeads = 40, NumLayers = 40 };
        var audio = new WanAudioModelConfig { Dim = 1536, InDim = 128, FfnDim = 8960, OutDim = 128, TextDim = 4096, FreqDim = 256, NumHeads = 12, NumLayers = 30 };
        var bridge = new BridgeConfig { VisualLayers = 40, AudioLayers = 30, VisualHiddenDim = 5120, AudioHiddenDim = 1536, AudioFps = 50, InteractionStrategy = "full", ApplyCrossRope = true };

        var p360 = ShardMemoryEstimator.Activations(video, audio, bridge, 0, 10, TokenCounts.ForVideo(352, 640, 193, 24), DTypePolicy.BFloat16);
        var p720 = ShardMemoryEstimator.Activations(video, audio, bridge, 0, 10, TokenCounts.ForVideo(720, 1280, 193, 24), DTypePolicy.BFloat16);
        var videoOnly = ShardMemoryEstimator.Activations(video, audio, bridge, 30, 40, TokenCounts.ForVideo(720, 1280, 193, 24), DTypePolicy.BFloat16);
        Assert.True(p720.TotalBytes > 3.5 * p360.TotalBytes, $"{p720.TotalBytes} vs {p360.TotalBytes}");
        Assert.True(videoOnly.TotalBytes < p720.TotalBytes);
        // One bf16 hidden state of 720p is 176400 x 5120 x 2 bytes = 1.8 GB; the estimate must hold it and stay within a few multiples of the FFN hidden.
        Assert.InRange(p720.ResidentBytes, 176_400L * 5120 * 2, 176_400L * 5120 * 2 * 3);
        Assert.InRange(p720.PeakTransientBytes, 176_400L * 13824 * 2 * 2, 176_400L * 13824 * 2 * 6);

        // The whole stack: 40 video blocks (14.05 B), 30 audio blocks (1.39 B) and 30 bridge layers (2.66 B), SPEC section 0.
        var all = ShardMemoryEstimator.ParameterBytes(video, audio, bridge, 0, 40, DTypePolicy.BFloat16);
        Assert.InRange(all / 2, 18.0e9, 18.2e9);
    }

    private static (WanModelConfig Video, WanAudioModelConfig Audio, BridgeConfig Bridge) Configs() =>
        (ConfigJson.Load<WanModelConfig>(GoldenSet.Component("video_dit")),
         ConfigJson.Load<WanAudioModelConfig>(GoldenSet.Component("audio_dit")),
         ConfigJson.Load<BridgeConfig>(GoldenSet.Component("dual_tower_bridge")));

    private static List<LayerRangeStage> BuildShards(VideoExpert expert, int[] boundaries)
    {
        var shards = new List<LayerRangeStage>();
        for (var i = 0; i + 1 < boundaries.Length; i++)
        {
            shards.Add(LayerRangeStage.Load(GoldenSet.Root, [expert], boundaries[i], boundaries[i + 1], new ParameterFactory(torch.CPU, DTypePolicy.Float32)));
        }

        return shards;
    }
}
