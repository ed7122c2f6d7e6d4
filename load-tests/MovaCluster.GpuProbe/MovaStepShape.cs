using MovaCluster.Model.Benchmarks;
using MovaCluster.Model.Configs;
using MovaCluster.Planning;

namespace MovaCluster.GpuProbe;

/// <summary>
/// The towers, bridge and request geometry of the MOVA-step section: MOVA-360p's configs (SPEC section 0 and 1.4)
/// at 352x640, 193 frames (a full run), or the tiny benchmark towers at 48x64, 17 frames (the same code path).
/// </summary>
internal sealed record MovaStepShape(string Name, WanModelConfig Video, WanAudioModelConfig Audio, BridgeConfig Bridge, WorkloadShape Workload)
{
    public long LatentFrames => Workload.LatentFrames;

    public long LatentHeight => Workload.Height / 8;

    public long LatentWidth => Workload.Width / 8;

    public static MovaStepShape Mova360p() => new(
        "MOVA-360p (one 14B expert + audio tower + bridge), 352x640, 193 frames",
        new WanModelConfig { Dim = 5120, InDim = 36, FfnDim = 13824, OutDim = 16, TextDim = 4096, FreqDim = 256, Eps = 1e-6, PatchSize = [1, 2, 2], NumHeads = 40, NumLayers = 40 },
        new WanAudioModelConfig { Dim = 1536, InDim = 128, FfnDim = 8960, OutDim = 128, TextDim = 4096, FreqDim = 256, Eps = 1e-6, PatchSize = [1], NumHeads = 12, NumLayers = 30 },
        new BridgeConfig { VisualLayers = 40, AudioLayers = 30, VisualHiddenDim = 5120, AudioHiddenDim = 1536, AudioFps = 50, HeadDim = 128, InteractionStrategy = "full", ApplyCrossRope = true },
        WorkloadShape.Mova360p);

    public static MovaStepShape Tiny()
    {
        var tiny = BenchmarkCase.Tiny();
        return new MovaStepShape("tiny towers, 48x64, 17 frames", tiny.Video, tiny.Audio, tiny.Bridge, new WorkloadShape("tiny", 64, 48, 17));
    }

    /// <summary>The planner's view of these towers (no encoders or decoders: the section runs the denoiser only), bf16.</summary>
    public MovaArchitecture Architecture() => new(
        Name,
        new TowerShape(Video.Dim, Video.NumLayers, Video.FfnDim, Video.InDim, Video.OutDim, Video.TextDim, Video.FreqDim, Video.PatchSize.Aggregate(1, (a, b) => a * b)),
        new TowerShape(Audio.Dim, Audio.NumLayers, Audio.FfnDim, Audio.InDim, Audio.OutDim, Audio.TextDim, Audio.FreqDim, Audio.PatchSize.Aggregate(1, (a, b) => a * b)),
        new BridgeShape(Bridge.VisualHiddenDim, Bridge.AudioHiddenDim, Bridge.InteractionLayers),
        TextEncoderParameters: 0,
        VideoVaeParameters: 0,
        AudioVaeParameters: 0);
}
