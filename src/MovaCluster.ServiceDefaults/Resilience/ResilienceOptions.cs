namespace MovaCluster.ServiceDefaults.Resilience;

/// <summary>
/// How the cluster rides out an unreachable store (Redis) or a silo being declared dead (section
/// <see cref="SectionName"/>), validated at start.
/// </summary>
public sealed class ResilienceOptions
{
    public const string SectionName = "Mova:Resilience";

    /// <summary>
    /// How long a Redis outage may last without costing a job: a running attempt keeps its device and retries its
    /// writes (progress, checkpoint, completion) with backoff this long; beyond it the attempt is handed back to the
    /// queue, which requeues the job once Redis is back (it resumes from its last checkpoint, it is never failed).
    /// </summary>
    public TimeSpan OutageGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one grain call retries a failed store write before it answers "store unavailable" (nothing changed)
    /// to its caller, who retries on its own terms. Well below Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan StoreCallBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait between retries; it doubles (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an API request retries grain calls that fail because a silo is being declared dead (or the store
    /// blinked) before it answers 503 with Retry-After. Longer than the cluster's failure detection.
    /// </summary>
    public TimeSpan ApiCallRetryWindow { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a standalone gateway waits for the answer to one grain call before it counts the call as lost and
    /// retries it (within <see cref="ApiCallRetryWindow"/>). A call in flight to a silo that dies is never answered and
    /// no one tells the gateway (an Orleans client), so without this it would wait Orleans' 30 s. Longer than
    /// <see cref="StoreCallBudget"/>, so a grain riding out a store outage answers in time; shorter than
    /// <see cref="ApiCallRetryWindow"/>, so a lost call is tried again.
    /// </summary>
    public TimeSpan ApiCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
