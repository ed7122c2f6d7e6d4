using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Progress;

/// <summary>The running job moved to another stage.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobPhaseEvent")]
public sealed record JobPhaseEvent : JobEvent
{
    [Id(0)] public JobPhase Phase { get; init; }
}
