using System.Text.Json;
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
        var scheduler = ConfigJson.Load<FlowMatchSchedulerConfig>(GoldenSet.SchedulerConfigPath);
        var pipeline = ConfigJson.Load<MovaPipelineConfig>(GoldenSet.ModelIndexPath);

        // The manifest records each constructor's arguments as the official generator used them.
        var v = Config("video_dit");
        Assert.Equal((Int(v, "dim"), Int(v, "num_heads"), Int(v, "num_layers"), Int(v, "dim") / Int(v, "num_heads")), (video.Dim, video.NumHeads, video.NumLayers, video.HeadDim));
        Assert.Equal(v.GetProperty("patch_size").EnumerateArray().Select(e => e.GetInt32()), video.PatchSize);
        Assert.Equal((Int(v, "text_dim"), v.GetProperty("eps").GetDouble()), (video.TextDim, video.Eps));
        var a = Config("audio_dit");
        Assert.Equal((Int(a, "dim"), Int(a, "in_dim"), Int(a, "num_layers")), (audio.Dim, audio.InDim, audio.NumLayers));
        var b = Config("dual_tower_bridge");
        Assert.Equal(b.GetProperty("audio_fps").GetDouble(), bridge.AudioFps);
        Assert.Equal((Int(b, "head_dim"), b.GetProperty("interaction_strategy").GetString()), (bridge.HeadDim, bridge.InteractionStrategy));
        var s = Config("scheduler");
        Assert.Equal((s.GetProperty("extra_one_step").GetBoolean(), s.GetProperty("shift").GetDouble()), (scheduler.ExtraOneStep, scheduler.Shift));

        // The interaction layers the official bridge built, as every single-step case lists them.
        foreach (var name in GoldenSet.SingleStepCases)
        {
            var official = GoldenSet.CaseEntry(name).GetProperty("params").GetProperty("bridge_layers").EnumerateArray().Select(e => e.GetInt32());
            Assert.Equal(official, bridge.InteractionLayers);
        }

        using var modelIndex = JsonDocument.Parse(File.ReadAllText(GoldenSet.ModelIndexPath));
        Assert.Equal(modelIndex.RootElement.GetProperty("boundary_ratio").GetDouble(), pipeline.BoundaryRatio);
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

    private static JsonElement Config(string component) => GoldenSet.ComponentEntry(component).GetProperty("config");

    private static int Int(JsonElement config, string key) => config.GetProperty(key).GetInt32();

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
