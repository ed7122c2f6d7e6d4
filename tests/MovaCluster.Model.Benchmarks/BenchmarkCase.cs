using MovaCluster.Model.Configs;

namespace MovaCluster.Model.Benchmarks;

/// <summary>A benchmarked configuration: tower and bridge configs plus the latent geometry of one request.</summary>
internal sealed record BenchmarkCase(
    string Name,
    WanModelConfig Video,
    WanAudioModelConfig Audio,
    BridgeConfig Bridge,
    (long Frames, long Height, long Width) LatentGrid,
    long AudioSteps,
    long TextTokens,
    double CfgScale)
{
    public long VideoTokens => LatentGrid.Frames * (LatentGrid.Height / 2) * (LatentGrid.Width / 2);

    /// <summary>The golden mova-tiny shapes at the golden loop geometry (grid 3×2×2, 30 audio steps, 512 text rows).</summary>
    public static BenchmarkCase Tiny() => new(
        "tiny",
        new WanModelConfig { Dim = 64, InDim = 36, FfnDim = 128, OutDim = 16, TextDim = 32, FreqDim = 16, PatchSize = [1, 2, 2], NumHeads = 2, NumLayers = 3 },
        new WanAudioModelConfig { Dim = 32, InDim = 8, FfnDim = 64, OutDim = 8, TextDim = 32, FreqDim = 16, NumHeads = 1, NumLayers = 2 },
        new BridgeConfig { VisualLayers = 3, AudioLayers = 2, VisualHiddenDim = 64, AudioHiddenDim = 32, AudioFps = 80, HeadDim = 32, InteractionStrategy = "full", ApplyCrossRope = true },
        (3, 4, 4),
        30,
        512,
        5.0);

    /// <summary>
    /// Compute-bound: video width 512 (4 heads of 128), 8 layers, 13×12×14 = 2184 video tokens; audio width 256
    /// (2 heads of 128), 8 layers, 98 tokens; full bridge with cross RoPE; 512 text rows of width 512.
    /// </summary>
    public static BenchmarkCase Bench() => new(
        "bench",
        new WanModelConfig { Dim = 512, InDim = 36, FfnDim = 1382, OutDim = 16, TextDim = 512, FreqDim = 256, PatchSize = [1, 2, 2], NumHeads = 4, NumLayers = 8 },
        new WanAudioModelConfig { Dim = 256, InDim = 128, FfnDim = 1493, OutDim = 128, TextDim = 512, FreqDim = 256, NumHeads = 2, NumLayers = 8 },
        new BridgeConfig { VisualLayers = 8, AudioLayers = 8, VisualHiddenDim = 512, AudioHiddenDim = 256, AudioFps = 50, HeadDim = 128, InteractionStrategy = "full", ApplyCrossRope = true },
        (13, 24, 28),
        98,
        512,
        5.0);
}
