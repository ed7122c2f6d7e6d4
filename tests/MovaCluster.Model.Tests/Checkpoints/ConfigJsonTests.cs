using MovaCluster.Model.Configs;
using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests.Checkpoints;

public sealed class ConfigJsonTests
{
    [Fact]
    public void Golden_configs_load_typed_with_underscore_keys_ignored()
    {
        var video = ConfigJson.Load<WanModelConfig>(GoldenSet.Component("video_dit"));
        var audio = ConfigJson.Load<WanAudioModelConfig>(GoldenSet.Component("audio_dit"));
        var bridge = ConfigJson.Load<BridgeConfig>(GoldenSet.Component("dual_tower_bridge"));
        var scheduler = ConfigJson.Load<FlowMatchSchedulerConfig>(Path.Combine(GoldenSet.Root, "scheduler", "scheduler_config.json"));
        var pipeline = ConfigJson.Load<MovaPipelineConfig>(Path.Combine(GoldenSet.Root, "model_index.json"));

        Assert.Equal((64, 2, 3, 32), (video.Dim, video.NumHeads, video.NumLayers, video.HeadDim));
        Assert.Equal([1, 2, 2], video.PatchSize);
        Assert.Equal((32, 8, 2), (audio.Dim, audio.InDim, audio.NumLayers));
        Assert.Equal([0, 1], bridge.InteractionLayers);
        Assert.Equal(80.0, bridge.AudioFps);
        Assert.True(scheduler.ExtraOneStep);
        Assert.Equal(5.0, scheduler.Shift);
        Assert.Equal(0.9, pipeline.BoundaryRatio);
    }

    [Fact]
    public void Unknown_keys_are_rejected_like_the_official_constructor()
    {
        var error = Assert.Throws<InvalidDataException>(() => ConfigJson.Parse<BridgeConfig>("""{"_class_name":"x","visual_layerz":3}""", "bridge.json"));
        Assert.Contains("visual_layerz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_value_is_reported_at_once()
    {
        const string json = """
            {"dim": 60, "in_dim": 36, "ffn_dim": 0, "out_dim": 16, "text_dim": 32, "freq_dim": 15,
             "patch_size": [1, 2], "num_heads": 7, "num_layers": 1}
            """;
        var error = Assert.Throws<InvalidDataException>(() => ConfigJson.Parse<WanModelConfig>(json, "video.json"));

        Assert.Contains("ffn_dim must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("freq_dim must be positive and even", error.Message, StringComparison.Ordinal);
        Assert.Contains("patch_size must be three", error.Message, StringComparison.Ordinal);
        Assert.Contains("divisible by num_heads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_size_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => ConfigJson.Parse<WanAudioModelConfig>("""{"dim": 32}""", "audio.json"));
        Assert.Contains("audio.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("full", 30, new[] { 0, 29 }, 30)]
    [InlineData("shallow_focus", 30, new[] { 0, 9 }, 10)]
    [InlineData("shallow_focus", 2, new int[0], 0)]
    [InlineData("distributed", 10, new[] { 0, 9 }, 4)]
    [InlineData("progressive", 20, new[] { 0, 17 }, 12)]
    [InlineData("custom", 13, new[] { 0, 12 }, 6)]
    public void Interaction_strategies_match_the_official_mapping(string strategy, int minLayers, int[] firstAndLast, int count)
    {
        var layers = BridgeInteraction.Layers(strategy, minLayers);
        Assert.Equal(count, layers.Count);
        if (count > 0)
        {
            Assert.Equal(firstAndLast, new[] { layers[0], layers[^1] });
        }
    }
}
