using MovaCluster.Model.Bridge;
using MovaCluster.Model.Checkpoints;
using MovaCluster.Model.Configs;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Dit;
using MovaCluster.Model.Nn;
using TorchSharp;

namespace MovaCluster.Model.Tests.Support;

/// <summary>Denoisers of arbitrary shape with seeded random weights.</summary>
public static class RandomDenoiser
{
    public sealed record Shape(
        int VideoDim = 48,
        int VideoHeads = 2,
        int VideoLayers = 3,
        int AudioDim = 24,
        int AudioHeads = 1,
        int AudioLayers = 2,
        int AudioChannels = 8,
        int TextDim = 20,
        int FreqDim = 16,
        int BridgeHeadDim = 24,
        string Strategy = "full",
        bool CrossRope = true,
        bool FirstFrameBias = false,
        double AudioFps = 50.0,
        double Eps = 1e-6);

    public static (WanModelConfig Video, WanAudioModelConfig Audio, BridgeConfig Bridge) Configs(Shape s) =>
        (
            new WanModelConfig
            {
                Dim = s.VideoDim, InDim = 36, FfnDim = 2 * s.VideoDim, OutDim = 16, TextDim = s.TextDim, FreqDim = s.FreqDim, Eps = s.Eps,
                PatchSize = [1, 2, 2], NumHeads = s.VideoHeads, NumLayers = s.VideoLayers,
            },
            new WanAudioModelConfig
            {
                Dim = s.AudioDim, InDim = s.AudioChannels, FfnDim = 2 * s.AudioDim, OutDim = s.AudioChannels, TextDim = s.TextDim, FreqDim = s.FreqDim,
                Eps = s.Eps, NumHeads = s.AudioHeads, NumLayers = s.AudioLayers,
            },
            new BridgeConfig
            {
                VisualLayers = s.VideoLayers, AudioLayers = s.AudioLayers, VisualHiddenDim = s.VideoDim, AudioHiddenDim = s.AudioDim, AudioFps = s.AudioFps,
                HeadDim = s.BridgeHeadDim, InteractionStrategy = s.Strategy, ApplyCrossRope = s.CrossRope, ApplyFirstFrameBiasInRope = s.FirstFrameBias,
            });

    public static MovaDenoiser Create(Shape shape, long seed, DTypePolicy? policy = null)
    {
        var (video, audio, bridge) = Configs(shape);
        foreach (var errors in new[] { video.Validate(), audio.Validate(), bridge.Validate() })
        {
            Assert.Empty(errors);
        }

        var factory = new ParameterFactory(torch.CPU, policy ?? DTypePolicy.Float32);
        var high = new WanModel(video, factory);
        var low = new WanModel(video, factory);
        var tower = new WanAudioModel(audio, factory);
        var conditioner = new DualTowerConditionalBridge(bridge, factory);
        RandomWeights.Fill(high, seed);
        RandomWeights.Fill(low, seed + 1);
        RandomWeights.Fill(tower, seed + 2);
        RandomWeights.Fill(conditioner, seed + 3);
        return new MovaDenoiser(high, low, tower, conditioner);
    }

    /// <summary>Random inputs for a latent grid (T, H, W) and Ta audio steps; context rows past half are zero.</summary>
    public static StepInput Input(MovaDenoiser denoiser, long frames, long height, long width, long audioSteps, long seed, double fps = 24.0, float t = 900.5f, float ta = 880.25f)
    {
        using var generator = new torch.Generator((ulong)seed);
        var video = torch.randn([1, 36, frames, height, width], generator: generator);
        var audio = torch.randn([1, denoiser.Audio.Config.InDim, audioSteps], generator: generator);
        var context = torch.randn([1, 16, denoiser.HighNoise.Config.TextDim], generator: generator);
        context.narrow(1, 8, 8).zero_();
        return new StepInput(video, audio, context, t, ta, fps);
    }
}
