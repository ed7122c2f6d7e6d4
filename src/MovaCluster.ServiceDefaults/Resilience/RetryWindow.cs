namespace MovaCluster.ServiceDefaults.Resilience;

/// <summary>
/// How long an operation keeps retrying, by what failed: the store (Redis) being unreachable, or the cluster changing
/// under the call (a silo being declared dead, a rejected or timed-out message). Measured from the first attempt.
/// </summary>
public readonly record struct RetryWindow(TimeSpan StoreOutage, TimeSpan ClusterChange)
{
    /// <summary>The same limit for both kinds of failure.</summary>
    public static RetryWindow Both(TimeSpan limit) => new(limit, limit);

    /// <summary>True while a failure of this kind may still be retried after <paramref name="elapsed"/>.</summary>
    public bool Allows(Exception failure, TimeSpan elapsed) =>
        TransientFailure.Is(failure) && elapsed < (TransientFailure.IsStoreOutage(failure) ? StoreOutage : ClusterChange);
}
