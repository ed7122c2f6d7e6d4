namespace MovaCluster.Contracts.Faults;

/// <summary>
/// A grain could not persist a change because the cluster's store (Redis) is unreachable; nothing was changed and the
/// call may be repeated. Callers that own the outcome (a running attempt, the API) retry with backoff or answer
/// "temporarily unavailable"; the message names no provider, key or host.
/// </summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : this("The cluster's store is unreachable; nothing was changed, retry shortly.")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
