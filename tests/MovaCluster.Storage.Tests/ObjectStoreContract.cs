using MovaCluster.Storage.Objects;

namespace MovaCluster.Storage.Tests;

/// <summary>What every <see cref="IObjectStore"/> must do, run against local disk and S3 alike.</summary>
internal static class ObjectStoreContract
{
    public static async Task RoundTripsListsAndDeletesAsync(IObjectStore store)
    {
        var payload = TestClipFiles.RandomBytes(200_000, 7);
        await store.PutAsync("tenants/a/loras/d1/adapter.safetensors", new MemoryStream(payload), CancellationToken.None);
        await store.PutAsync("tenants/a/loras/d1/nested/lora_config.pt", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await store.PutAsync("tenants/a/loras/d10/adapter.safetensors", new MemoryStream([9]), CancellationToken.None);
        await store.PutAsync("tenants/b/loras/d1/adapter.safetensors", new MemoryStream([4]), CancellationToken.None);

        var listed = await store.ListAsync("tenants/a/loras/d1/", CancellationToken.None);
        Assert.Equal(
            [new StoredObject("tenants/a/loras/d1/adapter.safetensors", payload.Length), new StoredObject("tenants/a/loras/d1/nested/lora_config.pt", 3)],
            listed);
        Assert.Empty(await store.ListAsync("tenants/c/loras/", CancellationToken.None));
        Assert.Equal(payload.Length, await store.GetSizeAsync("tenants/a/loras/d1/adapter.safetensors", CancellationToken.None));
        Assert.Null(await store.GetSizeAsync("tenants/a/loras/d1/missing.pt", CancellationToken.None));

        using var copy = new MemoryStream();
        copy.Write([0xFF, 0xFF]);
        copy.Position = 0;
        await store.DownloadAsync("tenants/a/loras/d1/adapter.safetensors", copy, CancellationToken.None);
        Assert.Equal(payload, copy.ToArray());

        await store.PutAsync("tenants/a/loras/d1/nested/lora_config.pt", new MemoryStream([5]), CancellationToken.None);
        Assert.Equal(1, await store.GetSizeAsync("tenants/a/loras/d1/nested/lora_config.pt", CancellationToken.None));

        await store.DeleteAsync("tenants/a/loras/d1/adapter.safetensors", CancellationToken.None);
        await store.DeleteAsync("tenants/a/loras/d1/adapter.safetensors", CancellationToken.None);
        Assert.Equal(["tenants/a/loras/d1/nested/lora_config.pt"], (await store.ListAsync("tenants/a/loras/d1/", CancellationToken.None)).Select(o => o.Key));
        await Assert.ThrowsAsync<StoredObjectNotFoundException>(
            () => store.DownloadAsync("tenants/a/loras/d1/adapter.safetensors", new MemoryStream(), CancellationToken.None));
    }

    public static async Task RefusesKeysOutsideTheStoreAsync(IObjectStore store)
    {
        foreach (var key in new[] { "../escape", "a/../../b", "/absolute", "a//b", "a/./b", "a\\b", "", "a/b/" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1]), CancellationToken.None));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync("no-slash", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync("../", CancellationToken.None));
    }
}
