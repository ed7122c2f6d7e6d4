namespace MovaCluster.Model.Caching;

/// <summary>
/// One CFG pass under the cache: its outcome, layers computed out of <see cref="LayerCount"/>, the step level's
/// accumulated rescaled change at the decision (null when the step level is off) and the block level's change of the
/// first layers' residual (null when it had no reference or is off).
/// </summary>
public sealed record CachePassRecord(CachePassOutcome Outcome, int LayersComputed, int LayerCount, double? StepChange, double? BlockChange);
