using StackExchange.Redis;

namespace MovaCluster.Api.Tests.Infrastructure.Faults;

/// <summary>
/// Which create step fails next, and whether before the real store took the change or after it (a store that
/// applied the write but whose answer was lost). One failure per arming; the stores stay real.
/// </summary>
public sealed class CreateFaults
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(CreateStep Step, bool AfterEffect), bool> _armed = [];

    /// <summary>
    /// Arms one failure at <paramref name="step"/>; several steps may be armed at once. A <paramref name="transient"/>
    /// failure looks like Redis going away (what the gateway answers 503 to and retries); otherwise an IOException.
    /// </summary>
    public void Arm(CreateStep step, bool afterEffect, bool transient = false)
    {
        lock (_gate)
        {
            _armed[(step, afterEffect)] = transient;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _armed.Clear();
        }
    }

    /// <summary>Throws (once) when <paramref name="step"/> is armed for this side of the real change.</summary>
    public void At(CreateStep step, bool afterEffect)
    {
        bool transient;
        lock (_gate)
        {
            if (!_armed.Remove((step, afterEffect), out transient))
            {
                return;
            }
        }

        var message = $"Injected failure at {step} ({(afterEffect ? "after" : "before")} the store took the change).";
        throw transient ? new RedisConnectionException(ConnectionFailureType.SocketFailure, message) : new IOException(message);
    }
}
