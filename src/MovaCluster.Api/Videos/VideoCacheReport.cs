namespace MovaCluster.Api.Videos;

/// <summary>
/// The video's step and block cache: the tier used (as requested until the worker reports; "off" when the worker could
/// not apply it, with <see cref="Note"/> saying why) and the work it computed out of an uncached run's, so far.
/// A block evaluation is one layer of MOVA's interleaved stack in one CFG pass.
/// </summary>
public sealed record VideoCacheReport
{
    public required string Tier { get; init; }

    public string? RequestedTier { get; init; }

    public int? Steps { get; init; }

    public int? StepsComputed { get; init; }

    public int? Passes { get; init; }

    public int? PassesComputed { get; init; }

    public int? PassesBlocksReused { get; init; }

    public int? PassesStepReused { get; init; }

    public long? BlockEvaluations { get; init; }

    public long? BlockEvaluationsComputed { get; init; }

    /// <summary>Fraction of block evaluations skipped (0-1).</summary>
    public double? SkippedFraction { get; init; }

    public string? Note { get; init; }
}
