using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;

namespace MovaCluster.Codecs.Benchmarks;

/// <summary>The real MOVA codec architectures (SPEC 1.4), used with random weights.</summary>
internal static class BenchConfigs
{
    public static WanVaeConfig Wan21Vae { get; } = new()
    {
        BaseDim = 96,
        ZDim = 16,
        DimMult = [1, 2, 4, 4],
        NumResBlocks = 2,
        TemperalDownsample = [false, true, true],
        LatentsMean = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921],
        LatentsStd = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.9160],
    };

    public static DacConfig MovaDac { get; } = new()
    {
        EncoderDim = 128,
        EncoderRates = [2, 3, 4, 5, 8],
        LatentDim = 128,
        DecoderDim = 2048,
        DecoderRates = [8, 5, 4, 3, 2],
        SampleRate = 48000,
        Continuous = true,
    };
}
