using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>What the cache did in one sampling step: the positive pass and, with CFG, the negative pass.</summary>
public sealed record CacheStepRecord(int Step, VideoExpert Expert, CachePassRecord Positive, CachePassRecord? Negative)
{
    public IEnumerable<CachePassRecord> Passes => Negative is null ? [Positive] : [Positive, Negative];

    /// <summary>Layer evaluations actually computed in this step (over both passes).</summary>
    public int LayersComputed => Passes.Sum(p => p.LayersComputed);

    /// <summary>Layer evaluations an uncached step does.</summary>
    public int LayerEvaluations => Passes.Sum(p => p.LayerCount);
}
