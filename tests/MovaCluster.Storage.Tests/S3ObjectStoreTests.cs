using Microsoft.Extensions.Logging.Abstractions;
using MovaCluster.Storage.Objects;
using MovaCluster.Storage.Retries;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

[Collection(S3Collection.Name)]
public sealed class S3ObjectStoreTests(S3Fixture s3)
{
    private readonly S3StoreFactory _factory = new(s3.Server);

    [Fact]
    public async Task Objects_round_trip_list_by_prefix_and_delete()
    {
        using var store = Store();
        await ObjectStoreContract.RoundTripsListsAndDeletesAsync(store);
    }

    [Fact]
    public async Task Keys_outside_the_rules_are_refused_before_any_request()
    {
        using var store = Store();
        await ObjectStoreContract.RefusesKeysOutsideTheStoreAsync(store);
    }

    private S3ObjectStore Store()
    {
        var options = Microsoft.Extensions.Options.Options.Create(_factory.Options());
        return new S3ObjectStore(options, new StorageRetry(options, NullLogger<StorageRetry>.Instance, TimeProvider.System));
    }
}
