using System.Net.Sockets;
using MovaCluster.Contracts.Faults;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace MovaCluster.ServiceDefaults.Resilience;

/// <summary>
/// Tells failures that go away by themselves (an unreachable or restarting Redis, a silo being declared dead, a
/// timed-out or rejected grain call) from failures a retry cannot fix. Only calls that are safe to repeat are retried
/// on these: every worker-facing job transition is idempotent per attempt, and the API's calls are reads or
/// idempotent per video id.
/// </summary>
public static class TransientFailure
{
    /// <summary>True when <paramref name="failure"/> (or what it wraps) is transient.</summary>
    public static bool Is(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (IsTransientItself(current))
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the failure says the cluster's store (Redis) could not be reached, as opposed to a lost silo.</summary>
    public static bool IsStoreOutage(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is StoreUnavailableException or RedisConnectionException or RedisTimeoutException || IsRedisBusy(current) || IsRedisGrainStorageFailure(current) || IsRemoteRedisFailure(current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTransientItself(Exception failure) => failure switch
    {
        StoreUnavailableException => true,
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException => IsRedisBusy(failure),
        // Silo lost or being declared dead, gateway overloaded, message dropped: Orleans says the call never ran
        // (or may be repeated).
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => true,
        // A write whose answer was lost: the activation is dropped and the next call reads what was stored.
        InconsistentStateException => true,
        TimeoutException => true,
        SocketException => true,
        _ => IsRedisGrainStorageFailure(failure) || IsRemoteRedisFailure(failure),
    };

    /// <summary>
    /// Orleans' Redis grain storage reports a failed read or write (Redis unreachable, timed out, restarting) as its own
    /// exception, with the Redis failure only in its message; a version conflict is an InconsistentStateException
    /// instead. Matched by name: this project does not reference the provider.
    /// </summary>
    private static bool IsRedisGrainStorageFailure(Exception failure) =>
        failure.GetType().FullName == "Orleans.Persistence.Redis.RedisStorageException";

    /// <summary>A restarting Redis answers LOADING until its data is read back; a busy script answers BUSY.</summary>
    private static bool IsRedisBusy(Exception failure) =>
        failure is RedisServerException && failure.Message.StartsWith("LOADING", StringComparison.Ordinal)
        || failure is RedisServerException && failure.Message.StartsWith("BUSY", StringComparison.Ordinal)
        || failure is RedisServerException && failure.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal);

    /// <summary>
    /// A storage failure thrown in a grain whose exception type this process does not load (e.g. the Redis grain
    /// storage's own exception on a gateway) arrives as Orleans' fallback exception carrying the type's name, or, when
    /// the exception codec cannot resolve the type at all, as a TypeLoadException naming it.
    /// </summary>
    private static bool IsRemoteRedisFailure(Exception failure) =>
        (failure is UnavailableExceptionFallbackException fallback && (fallback.ExceptionType?.Contains("Redis", StringComparison.Ordinal) ?? false))
        || (failure is TypeLoadException && failure.Message.Contains("Orleans.Persistence.Redis", StringComparison.Ordinal));
}
