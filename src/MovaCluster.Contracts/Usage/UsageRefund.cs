namespace MovaCluster.Contracts.Usage;

/// <summary>
/// Seconds of video a tenant was charged for a job that ended (failed or cancelled) before its first denoising step:
/// nothing ran, so nothing stays charged. <see cref="ChargedOn"/> is the job's creation time, which names the UTC day
/// whose usage the charge went to.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.UsageRefund")]
public sealed record UsageRefund
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public required string TenantId { get; init; }

    [Id(2)] public double Seconds { get; init; }

    [Id(3)] public DateTimeOffset ChargedOn { get; init; }

    /// <summary>Why the job ended: "failed" or "cancelled".</summary>
    [Id(4)] public string Reason { get; init; } = "";
}
