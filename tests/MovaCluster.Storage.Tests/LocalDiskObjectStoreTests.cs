using Microsoft.Extensions.Options;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Storage.Tests;

public sealed class LocalDiskObjectStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mova-objects-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public Task Objects_round_trip_list_by_prefix_and_delete() => ObjectStoreContract.RoundTripsListsAndDeletesAsync(Store());

    [Fact]
    public async Task Keys_that_could_leave_the_root_are_refused()
    {
        await ObjectStoreContract.RefusesKeysOutsideTheStoreAsync(Store());
        Assert.Empty(_root.Parent!.EnumerateFiles("escape"));
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_the_object_nor_a_partial_file()
    {
        var store = Store();
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("t/x.bin", new FailingStream(), CancellationToken.None));

        Assert.Null(await store.GetSizeAsync("t/x.bin", CancellationToken.None));
        Assert.Empty(await store.ListAsync("t/", CancellationToken.None));
        Assert.Empty(_root.EnumerateFiles("*", SearchOption.AllDirectories));
    }

    private LocalDiskObjectStore Store() => new(Options.Create(new StorageOptions { LocalDisk = new LocalDiskStoreOptions { RootPath = _root.FullName } }));

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream()
            : base(new byte[100_000])
        {
        }

        public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
            Task.FromException(new IOException("the client went away"));
    }
}
