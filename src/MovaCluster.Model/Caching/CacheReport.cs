using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>
/// What the cache did in a sampling run: the settings it ran with, the experts whose step level was unavailable (a
/// positive step threshold but no TeaCache coefficients for that expert), the job's totals and one record per step this
/// run executed (a resumed run lists only its own steps; <see cref="Totals"/> covers the whole job).
/// </summary>
public sealed record CacheReport(
    CacheSettings Settings,
    IReadOnlyList<VideoExpert> StepLevelUnavailable,
    CacheTotals Totals,
    IReadOnlyList<CacheStepRecord> Steps);
