using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Progress;

/// <summary>A denoising step finished.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobStepEvent")]
public sealed record JobStepEvent : JobEvent
{
    /// <summary>Steps done so far (1-based: the first step reports 1).</summary>
    [Id(0)] public int Step { get; init; }

    [Id(1)] public int TotalSteps { get; init; }

    /// <summary>Which video expert ran the step: <see cref="JobPhase.DenoisingHighNoise"/> or <see cref="JobPhase.DenoisingLowNoise"/>.</summary>
    [Id(2)] public JobPhase Phase { get; init; }

    /// <summary>Measured time of this step.</summary>
    [Id(3)] public double MillisecondsPerStep { get; init; }

    [Id(4)] public TimeSpan EstimatedRemaining { get; init; }
}
