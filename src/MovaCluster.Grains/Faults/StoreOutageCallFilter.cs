using MovaCluster.Contracts.Faults;
using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Faults;

/// <summary>
/// Turns a store outage that escapes any grain call (a Redis provider's own exception) into the contract's
/// <see cref="StoreUnavailableException"/>: callers such as the gateway do not load the storage provider's assembly,
/// so its exception type would reach them as an unreadable type, answered as a 500 instead of a retryable 503.
/// </summary>
internal sealed class StoreOutageCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (Exception failure) when (failure is not StoreUnavailableException && TransientFailure.IsStoreOutage(failure))
        {
            throw new StoreUnavailableException();
        }
    }
}
