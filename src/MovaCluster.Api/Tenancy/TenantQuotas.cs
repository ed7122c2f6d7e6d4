namespace MovaCluster.Api.Tenancy;

/// <summary>What one tenant may do; checked at create time and on every request.</summary>
public sealed record TenantQuotas
{
    /// <summary>
    /// Jobs the tenant may have running. When it has this many running and <see cref="MaxQueuedJobs"/> is 0, a
    /// create is refused rather than left waiting. Dispatch concurrency itself is the queue's per-tenant limit. Default 2.
    /// </summary>
    public int MaxRunningJobs { get; init; } = 2;

    /// <summary>Jobs the tenant may have waiting; a create beyond this answers 429. Default 20.</summary>
    public int MaxQueuedJobs { get; init; } = 20;

    /// <summary>Seconds of video the tenant may request per UTC day; a create beyond this answers 429. Default 3,600.</summary>
    public double VideoSecondsPerDay { get; init; } = 3600;

    /// <summary>Sustained API requests per second (token bucket refill). Default 20.</summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Requests the bucket holds for bursts. Default 40.</summary>
    public int RequestBurst { get; init; } = 40;
}
