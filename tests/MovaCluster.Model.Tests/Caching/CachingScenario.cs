using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using TorchSharp;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>
/// A seeded random denoiser deep enough for every cache span (video 6 layers, audio 4: cached spans on both sides of
/// the audio depth) and a seeded sampling request on a small grid, for behaviour tests of the cache.
/// </summary>
public sealed class CachingScenario : IDisposable
{
    public CachingScenario()
    {
        Denoiser = RandomDenoiser.Create(new RandomDenoiser.Shape(VideoLayers: 6, AudioLayers: 4), seed: 11);
        Request = NewRequest(Denoiser, seed: 5);
    }

    public MovaDenoiser Denoiser { get; }

    public SamplingRequest Request { get; }

    /// <summary>Block level at a threshold that reuses on this model, warm-up 2, last step full.</summary>
    public static CacheSettings Blocks { get; } = new()
    {
        Name = "test-blocks",
        BlockThreshold = 0.5,
        FirstLayers = 1,
        LastLayers = 1,
        WarmupSteps = 2,
        FinalSteps = 1,
        MaxConsecutiveReuses = 3,
    };

    public static SamplerOptions Options(int steps = 12, double cfg = 5.0, CacheSettings? cache = null) =>
        new() { NumInferenceSteps = steps, CfgScale = cfg, Cache = cache };

    public static SamplingRequest NewRequest(MovaDenoiser denoiser, long seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        var textDim = denoiser.HighNoise.Config.TextDim;
        var prompt = torch.randn([1, 12, textDim], generator: generator);
        var negative = torch.randn([1, 12, textDim], generator: generator);
        prompt.narrow(1, 8, 4).zero_();
        negative.narrow(1, 6, 6).zero_();
        return new SamplingRequest(
            torch.randn([1, 16, 3, 4, 6], generator: generator),
            torch.randn([1, denoiser.Audio.Config.InDim, 20], generator: generator),
            torch.randn([1, 20, 3, 4, 6], generator: generator),
            prompt,
            negative,
            24.0);
    }

    public void Dispose()
    {
        Denoiser.Dispose();
        Request.VideoNoise.Dispose();
        Request.AudioNoise.Dispose();
        Request.Condition.Dispose();
        Request.PromptEmbeddings.Dispose();
        Request.NegativePromptEmbeddings.Dispose();
    }
}
