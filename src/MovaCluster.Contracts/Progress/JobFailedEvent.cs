namespace MovaCluster.Contracts.Progress;

/// <summary>The job failed and will not be retried.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobFailedEvent")]
public sealed record JobFailedEvent : JobEvent
{
    [Id(0)] public required string Error { get; init; }
}
