namespace MovaCluster.Contracts.Jobs;

/// <summary>A request together with who submits it and how urgently.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobSubmission")]
public sealed record JobSubmission
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public JobPriority Priority { get; init; } = JobPriority.Standard;

    [Id(2)] public required GenerationRequest Request { get; init; }
}
