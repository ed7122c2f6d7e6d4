using MovaCluster.Model.Caching;
using MovaCluster.Model.Codecs.Video;

namespace MovaCluster.Model.Pipeline;

/// <summary>A finished clip: uint8 RGB frames at <see cref="Fps"/> and mono float PCM at <see cref="SampleRate"/>.</summary>
public sealed record MovaGenerationResult(RgbVideo Video, float[] Audio, int SampleRate, double Fps)
{
    /// <summary>What the step and block cache did (null when the request ran uncached).</summary>
    public CacheReport? Cache { get; init; }
}
