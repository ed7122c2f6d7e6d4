namespace MovaCluster.Model.Caching;

/// <summary>
/// Work a cached job did, summed over its steps (carried across checkpoints, so a resumed job reports the whole job).
/// A layer evaluation is one layer of the interleaved stack in one pass: the bridge exchange of that layer (where it
/// interacts), the video block and the audio block (where the audio tower reaches).
/// </summary>
public sealed record CacheTotals(
    int Steps,
    int StepsComputed,
    int Passes,
    int PassesComputed,
    int PassesBlocksReused,
    int PassesStepReused,
    long LayerEvaluations,
    long LayerEvaluationsComputed)
{
    public static CacheTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Fraction of layer evaluations the cache skipped.</summary>
    public double SkippedLayerFraction => LayerEvaluations == 0 ? 0 : 1.0 - ((double)LayerEvaluationsComputed / LayerEvaluations);

    public CacheTotals Add(CacheStepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var passes = record.Passes.ToList();
        return new CacheTotals(
            Steps + 1,
            StepsComputed + (record.LayersComputed > 0 ? 1 : 0),
            Passes + passes.Count,
            PassesComputed + passes.Count(p => p.Outcome == CachePassOutcome.Computed),
            PassesBlocksReused + passes.Count(p => p.Outcome == CachePassOutcome.BlocksReused),
            PassesStepReused + passes.Count(p => p.Outcome == CachePassOutcome.StepReused),
            LayerEvaluations + record.LayerEvaluations,
            LayerEvaluationsComputed + record.LayersComputed);
    }
}
