namespace MovaCluster.Contracts.Jobs;

/// <summary>A request together with who submits it and how urgently.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobSubmission")]
public sealed record JobSubmission
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public JobPriority Priority { get; init; } = JobPriority.Standard;

    [Id(2)] public required GenerationRequest Request { get; init; }

    /// <summary>
    /// True when no live worker served the job's model (or had room for it) at submission and the operator lets such
    /// jobs wait: its queued event says <c>waiting_for_worker</c> (the gateway ends the wait if it lasts too long).
    /// </summary>
    [Id(3)] public bool WaitingForWorker { get; init; }
}
