namespace MovaCluster.Contracts.Jobs;

/// <summary>
/// What a job's step and block cache did: the tier it ran with, and the steps, CFG passes and layer evaluations (one
/// layer of the interleaved stack in one pass: its bridge exchange, video block and audio block) it computed out of
/// those an uncached run computes. Whole-job totals, carried across resumed attempts.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.CacheUsage")]
public sealed record CacheUsage
{
    /// <summary>The tier the job ran with ("off" when the worker could not apply the requested one).</summary>
    [Id(0)] public required string Tier { get; init; }

    [Id(1)] public int Steps { get; init; }

    /// <summary>Steps in which at least one layer was computed (the others reused a whole pass per branch).</summary>
    [Id(2)] public int StepsComputed { get; init; }

    [Id(3)] public int Passes { get; init; }

    /// <summary>Passes that computed every layer.</summary>
    [Id(4)] public int PassesComputed { get; init; }

    /// <summary>Passes that reused the middle layers (block level).</summary>
    [Id(5)] public int PassesBlocksReused { get; init; }

    /// <summary>Passes that reused the whole stack (step level).</summary>
    [Id(6)] public int PassesStepReused { get; init; }

    [Id(7)] public long LayerEvaluations { get; init; }

    [Id(8)] public long LayerEvaluationsComputed { get; init; }

    /// <summary>Why the requested tier was not applied, when it was not.</summary>
    [Id(9)] public string? Note { get; init; }

    /// <summary>Fraction of layer evaluations skipped.</summary>
    public double SkippedFraction => LayerEvaluations == 0 ? 0 : 1.0 - ((double)LayerEvaluationsComputed / LayerEvaluations);
}
