namespace MovaCluster.Contracts.Jobs;

/// <summary>Outcome of a submission: the accepted job, or a rejection that says why.</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.SubmitResult")]
public sealed record SubmitResult
{
    [Id(0)] public bool Accepted { get; init; }

    [Id(1)] public JobSnapshot? Job { get; init; }

    [Id(2)] public RejectionReason Reason { get; init; }

    [Id(3)] public string? Message { get; init; }

    public static SubmitResult Accept(JobSnapshot job) => new() { Accepted = true, Job = job };

    public static SubmitResult Reject(RejectionReason reason, string message) =>
        new() { Accepted = false, Reason = reason, Message = message };
}
