namespace MovaCluster.Model.Caching;

/// <summary>
/// What a job's step and block cache may skip. Two independent levels, each off when its threshold is null:
/// <list type="bullet">
/// <item>step level (TeaCache): a whole CFG pass is replaced by its branch's last stack residual while the accumulated,
/// polynomially rescaled relative L1 change of the time modulation since the last full pass stays below
/// <see cref="StepThreshold"/>;</item>
/// <item>block level (DBCache): the first <see cref="FirstLayers"/> layers (and the last <see cref="LastLayers"/> layers of
/// each tower) are always computed; the layers in between are replaced by their residual from the branch's last full pass
/// while the relative L1 change of the first layers' residual stays below <see cref="BlockThreshold"/>.</item>
/// </list>
/// A threshold of 0 runs all the bookkeeping but never skips (results are bit-identical to the uncached path).
/// Defaults describe a block-level cache for 50-step jobs on MOVA's 40-layer stack.
/// </summary>
public sealed record CacheSettings
{
    /// <summary>Label reported with the job: the tier name, or "custom" for explicit thresholds (default "custom").</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Step-level (TeaCache) threshold; null = no step skipping (default null).</summary>
    public double? StepThreshold { get; init; }

    /// <summary>Block-level (DBCache) threshold; null = no block skipping (default 0.08).</summary>
    public double? BlockThreshold { get; init; } = 0.08;

    /// <summary>Layers at the start of the stack always computed; their residual is the block-level signal (default 2).</summary>
    public int FirstLayers { get; init; } = 2;

    /// <summary>Layers at the end of each tower always computed (video: the last of the stack; audio: the last audio-bearing ones) (default 1).</summary>
    public int LastLayers { get; init; } = 1;

    /// <summary>Steps at the start of a job that always run in full (default 4).</summary>
    public int WarmupSteps { get; init; } = 4;

    /// <summary>Steps at the end of a job that always run in full (default 1).</summary>
    public int FinalSteps { get; init; } = 1;

    /// <summary>Consecutive passes of one branch that may reuse anything before a full pass is forced; null = no cap (default 3).</summary>
    public int? MaxConsecutiveReuses { get; init; } = 3;

    /// <summary>
    /// Planning estimate of the fraction of layer evaluations this tier skips on the served checkpoint (the
    /// <c>skipped_fraction</c> its jobs report), used by the queue's and planner's estimates; null = the structural
    /// ceiling of <see cref="CacheForecast.Schedule"/> (every allowed reuse taken) (default null).
    /// </summary>
    public double? ExpectedSkippedFraction { get; init; }

    /// <summary>Both levels on with threshold 0: every pass computed, all bookkeeping done (calibration runs, exactness checks).</summary>
    public static CacheSettings Exact { get; } = new()
    {
        Name = "exact",
        StepThreshold = 0,
        BlockThreshold = 0,
        FirstLayers = 1,
        LastLayers = 1,
        WarmupSteps = 0,
        FinalSteps = 0,
        MaxConsecutiveReuses = null,
    };

    /// <summary>True when neither level can ever skip work (thresholds null or 0).</summary>
    public bool NeverSkips => !(StepThreshold > 0) && !(BlockThreshold > 0);

    /// <summary>Every problem with the values (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("name must not be empty.");
        }

        foreach (var (name, value) in new[] { (nameof(StepThreshold), StepThreshold), (nameof(BlockThreshold), BlockThreshold) })
        {
            if (value is { } threshold && !(threshold >= 0 && double.IsFinite(threshold)))
            {
                errors.Add($"{name} must be a finite number ≥ 0 or null (got {threshold}).");
            }
        }

        if (ExpectedSkippedFraction is { } expected && !(expected >= 0 && expected < 1))
        {
            errors.Add($"{nameof(ExpectedSkippedFraction)} must be in [0, 1) or null (got {expected}).");
        }

        if (BlockThreshold is not null && FirstLayers < 1)
        {
            errors.Add($"{nameof(FirstLayers)} must be at least 1 when block caching is on (got {FirstLayers}): its residual decides.");
        }

        foreach (var (name, value) in new[] { (nameof(FirstLayers), FirstLayers), (nameof(LastLayers), LastLayers), (nameof(WarmupSteps), WarmupSteps), (nameof(FinalSteps), FinalSteps) })
        {
            if (value < 0)
            {
                errors.Add($"{name} must be ≥ 0 (got {value}).");
            }
        }

        if (MaxConsecutiveReuses is < 1)
        {
            errors.Add($"{nameof(MaxConsecutiveReuses)} must be ≥ 1 or null (got {MaxConsecutiveReuses}).");
        }

        return errors;
    }
}
