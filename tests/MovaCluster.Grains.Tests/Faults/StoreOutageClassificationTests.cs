using MovaCluster.ServiceDefaults.Resilience;

namespace MovaCluster.Grains.Tests.Faults;

/// <summary>
/// A Redis grain-storage failure that reaches a process without the provider's assembly (the gateway) arrives as a
/// TypeLoadException naming the provider's type: still a store outage (503, retried), never a 500.
/// </summary>
public sealed class StoreOutageClassificationTests
{
    [Fact]
    public void An_unloadable_redis_storage_exception_is_a_transient_store_outage()
    {
        var failure = new TypeLoadException("Unable to load Orleans.Persistence.Redis.RedisStorageException,Orleans.Persistence.Redis from assembly Orleans.Persistence.Redis");

        Assert.True(TransientFailure.IsStoreOutage(failure));
        Assert.True(TransientFailure.Is(failure));
    }

    [Fact]
    public void Any_other_unloadable_type_is_not_a_store_outage()
    {
        var failure = new TypeLoadException("Unable to load Some.Other.Exception,Some.Other from assembly Some.Other");

        Assert.False(TransientFailure.IsStoreOutage(failure));
        Assert.False(TransientFailure.Is(failure));
    }
}
