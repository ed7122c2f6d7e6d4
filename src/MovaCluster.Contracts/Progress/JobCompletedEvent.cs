using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Progress;

/// <summary>The clip is stored; the job is done.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobCompletedEvent")]
public sealed record JobCompletedEvent : JobEvent
{
    [Id(0)] public required ClipLocation Clip { get; init; }
}
