namespace MovaCluster.Contracts.Progress;

/// <summary>The job was cancelled (while queued, or at a step boundary while running).</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobCancelledEvent")]
public sealed record JobCancelledEvent : JobEvent
{
    /// <summary>Denoising steps that had run when the job stopped.</summary>
    [Id(0)] public int CompletedSteps { get; init; }
}
