namespace MovaCluster.Contracts.Progress;

/// <summary>The job failed and will not be retried.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobFailedEvent")]
public sealed record JobFailedEvent : JobEvent
{
    [Id(0)] public required string Error { get; init; }

    /// <summary>Machine-readable kind of the failure; null means <c>generation_failed</c>.</summary>
    [Id(1)] public string? Code { get; init; }
}
