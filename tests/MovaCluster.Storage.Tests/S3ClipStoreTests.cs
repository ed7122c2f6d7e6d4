using System.Net;
using Minio.DataModel.Args;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

[Collection(S3Collection.Name)]
public sealed class S3ClipStoreTests : IDisposable
{
    private readonly S3StoreFactory _factory;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mova-s3-store-");
    private readonly HttpClient _http = new();

    public S3ClipStoreTests(S3Fixture s3) => _factory = new S3StoreFactory(s3.Server);

    public void Dispose()
    {
        _http.Dispose();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Put_creates_the_bucket_and_round_trips_bytes_and_metadata()
    {
        using var store = _factory.Create();
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        var payload = TestClipFiles.RandomBytes(300_000, 1);

        var stored = await store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata("job-1"), CancellationToken.None);

        using var raw = _factory.RawClient();
        Assert.True(await raw.BucketExistsAsync(new BucketExistsArgs().WithBucket(_factory.Bucket)));
        Assert.Equal(payload.Length, stored.Size);
        Assert.Equal(TestClipFiles.Metadata("job-1"), stored.Metadata);
        var info = await store.GetInfoAsync(name, CancellationToken.None);
        Assert.Equal(new ClipMetadata("job-1", "mova-360p", 42, TimeSpan.FromSeconds(8.04), "video/mp4"), info.Metadata);
        await using var read = await store.OpenReadAsync(name, null, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(payload, copy.ToArray());
    }

    [Fact]
    public async Task Listing_is_per_tenant_and_shows_only_completed_objects()
    {
        using var store = _factory.Create();
        await store.PutAsync(new ClipObjectName("tenant-a", "job-1", "video.mp4"), new MemoryStream([1, 2, 3]), TestClipFiles.Metadata(), CancellationToken.None);
        await store.PutAsync(new ClipObjectName("tenant-a", "job-1", "thumbnail.jpg"), new MemoryStream([4, 5]), TestClipFiles.Metadata() with { ContentType = "image/jpeg" }, CancellationToken.None);
        await store.PutAsync(new ClipObjectName("tenant-b", "job-2", "video.mp4"), new MemoryStream([6]), TestClipFiles.Metadata("job-2"), CancellationToken.None);

        var a = await store.ListAsync("tenant-a", CancellationToken.None);
        var b = await store.ListAsync("tenant-b", CancellationToken.None);

        Assert.Equal(["tenants/tenant-a/clips/job-1/thumbnail.jpg", "tenants/tenant-a/clips/job-1/video.mp4"], a.Select(c => c.Name.Key).Order(StringComparer.Ordinal));
        Assert.Equal("image/jpeg", a.Single(c => c.Name.Variant == "thumbnail.jpg").Metadata.ContentType);
        Assert.Equal(["tenants/tenant-b/clips/job-2/video.mp4"], b.Select(c => c.Name.Key));
        Assert.Empty(await store.ListAsync("tenant-c", CancellationToken.None));
        Assert.Empty(await RawKeysAsync("tenants/tenant-a/uploads/"));
    }

    [Fact]
    public async Task Large_clip_goes_up_in_parts_and_comes_back_whole()
    {
        await using var observer = new FaultyTcpProxy(_factory.Options().S3.Endpoint);
        using var store = _factory.Create(_factory.Options(observer.Endpoint));
        var name = new ClipObjectName("tenant-a", "big", "video.mp4");
        var payload = TestClipFiles.RandomBytes((33 * 1024 * 1024) + 123, 2);

        await store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata("big"), CancellationToken.None);

        using var raw = _factory.RawClient();
        var temporaryParts = 0;
        await foreach (var upload in raw.ListIncompleteUploadsEnumAsync(new ListIncompleteUploadsArgs().WithBucket(_factory.Bucket).WithPrefix("tenants/").WithRecursive(true)))
        {
            temporaryParts++;
            Assert.Fail("An incomplete upload was left behind: " + upload.Key);
        }

        Assert.Equal(0, temporaryParts);
        Assert.Equal(3, observer.PartUploads); // the SDK's 16 MiB parts: 16 + 16 + 1
        await using var read = await store.OpenReadAsync(name, null, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(payload, copy.ToArray());
    }

    [Fact]
    public async Task Presigned_link_downloads_a_playable_clip_over_plain_http()
    {
        using var store = _factory.Create();
        var name = new ClipObjectName("tenant-a", "job-7", "video.mp4");
        var mp4 = await TestClipFiles.Mp4Async(_work.FullName);
        await store.PutAsync(name, new MemoryStream(mp4), TestClipFiles.Metadata("job-7"), CancellationToken.None);

        var link = await store.GetDownloadUrlAsync(name, TimeSpan.FromMinutes(5), CancellationToken.None);
        var downloaded = await _http.GetByteArrayAsync(link);

        Assert.Contains("X-Amz-Expires=300", link.Query, StringComparison.Ordinal);
        Assert.Equal(mp4, downloaded);
        var path = Path.Combine(_work.FullName, "downloaded.mp4");
        await File.WriteAllBytesAsync(path, downloaded);
        Assert.Equal(["h264", "aac"], await TestClipFiles.CodecsAsync(path));
    }

    [Fact]
    public async Task Links_can_name_a_public_endpoint_and_still_verify()
    {
        await using var publicFront = new FaultyTcpProxy(_factory.Options().S3.Endpoint);
        var options = _factory.Options();
        options.S3.PublicEndpoint = publicFront.Endpoint;
        using var store = _factory.Create(options);
        var name = new ClipObjectName("tenant-a", "job-11", "video.mp4");
        var payload = TestClipFiles.RandomBytes(10_000, 14);
        await store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata(), CancellationToken.None);

        var link = await store.GetDownloadUrlAsync(name, null, CancellationToken.None);

        Assert.Equal(publicFront.Endpoint, link.Authority);
        Assert.Contains("X-Amz-Expires=3600", link.Query, StringComparison.Ordinal);
        Assert.Equal(payload, await _http.GetByteArrayAsync(link));
    }

    [Fact]
    public async Task Expired_link_is_refused()
    {
        using var store = _factory.Create();
        var name = new ClipObjectName("tenant-a", "job-8", "video.mp4");
        await store.PutAsync(name, new MemoryStream([1, 2, 3]), TestClipFiles.Metadata(), CancellationToken.None);

        var link = await store.GetDownloadUrlAsync(name, TimeSpan.FromSeconds(1), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var response = await _http.GetAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_requested_bytes()
    {
        using var store = _factory.Create();
        var name = new ClipObjectName("tenant-a", "job-9", "video.mp4");
        var payload = TestClipFiles.RandomBytes(1_000_000, 3);
        await store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata(), CancellationToken.None);

        Assert.Equal(payload[..1], await ReadAsync(store, name, new ByteRange(0, 1)));
        Assert.Equal(payload[123_456..223_456], await ReadAsync(store, name, new ByteRange(123_456, 100_000)));
        Assert.Equal(payload[999_000..], await ReadAsync(store, name, new ByteRange(999_000)));
        Assert.Equal(payload[999_990..], await ReadAsync(store, name, new ByteRange(999_990, 500)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.OpenReadAsync(name, new ByteRange(2_000_000, 10), CancellationToken.None));
    }

    [Fact]
    public async Task Missing_object_is_a_clear_error()
    {
        using var store = _factory.Create();
        var name = new ClipObjectName("tenant-a", "nope", "video.mp4");
        await store.PutAsync(new ClipObjectName("tenant-a", "other", "video.mp4"), new MemoryStream([1]), TestClipFiles.Metadata(), CancellationToken.None);

        var info = await Assert.ThrowsAsync<ClipNotFoundException>(() => store.GetInfoAsync(name, CancellationToken.None));
        var read = await Assert.ThrowsAsync<ClipNotFoundException>(() => store.OpenReadAsync(name, new ByteRange(0, 10), CancellationToken.None));
        await Assert.ThrowsAsync<ClipNotFoundException>(() => store.GetDownloadUrlAsync(name, null, CancellationToken.None));

        Assert.Equal("Clip object 'tenants/tenant-a/clips/nope/video.mp4' was not found.", info.Message);
        Assert.Equal(name.Key, read.Key);
    }

    [Fact]
    public async Task Delete_removes_objects_and_tolerates_missing_ones()
    {
        using var store = _factory.Create();
        foreach (var variant in new[] { "video.mp4", "thumbnail.jpg", "spritesheet.jpg" })
        {
            await store.PutAsync(new ClipObjectName("tenant-a", "job-3", variant), new MemoryStream([9]), TestClipFiles.Metadata(), CancellationToken.None);
        }

        await store.PutAsync(new ClipObjectName("tenant-a", "job-30", "video.mp4"), new MemoryStream([9]), TestClipFiles.Metadata(), CancellationToken.None);

        await store.DeleteAsync(new ClipObjectName("tenant-a", "job-3", "thumbnail.jpg"), CancellationToken.None);
        await store.DeleteAsync(new ClipObjectName("tenant-a", "job-3", "thumbnail.jpg"), CancellationToken.None);
        var removed = await store.DeleteClipAsync("tenant-a", "job-3", CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Equal(["tenants/tenant-a/clips/job-30/video.mp4"], (await store.ListAsync("tenant-a", CancellationToken.None)).Select(c => c.Name.Key));
    }

    [Fact]
    public async Task Upload_cut_once_is_retried_and_completes()
    {
        await using var proxy = new FaultyTcpProxy(_factory.Options().S3.Endpoint) { CutAfterRequestBytes = 2 * 1024 * 1024, RefuseAfterCut = false };
        using var store = _factory.Create(_factory.Options(proxy.Endpoint, maxAttempts: 3));
        var name = new ClipObjectName("tenant-a", "flaky", "video.mp4");
        var payload = TestClipFiles.RandomBytes(6 * 1024 * 1024, 4);

        await store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata("flaky"), CancellationToken.None);

        Assert.True(proxy.HasCut);
        using var direct = _factory.Create();
        var info = await direct.GetInfoAsync(name, CancellationToken.None);
        Assert.Equal(payload.Length, info.Size);
        Assert.Empty(await RawKeysAsync("tenants/tenant-a/uploads/"));
    }

    [Fact]
    public async Task Server_that_goes_away_mid_upload_is_retried_then_reported_and_nothing_is_listed()
    {
        await using var proxy = new FaultyTcpProxy(_factory.Options().S3.Endpoint) { CutAfterRequestBytes = 2 * 1024 * 1024, RefuseAfterCut = true };
        using var store = _factory.Create(_factory.Options(proxy.Endpoint, maxAttempts: 3));
        var name = new ClipObjectName("tenant-a", "lost", "video.mp4");

        var error = await Assert.ThrowsAsync<ClipStoreUnavailableException>(() =>
            store.PutAsync(name, new MemoryStream(TestClipFiles.RandomBytes(8 * 1024 * 1024, 5)), TestClipFiles.Metadata("lost"), CancellationToken.None));

        Assert.Equal(3, error.Attempts);
        Assert.Contains("upload of tenants/tenant-a/clips/lost/video.mp4 failed after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.True(proxy.RefusedConnections >= 2, $"retries reached the dead endpoint {proxy.RefusedConnections} times");
        using var direct = _factory.Create();
        Assert.Empty(await direct.ListAsync("tenant-a", CancellationToken.None));
        await Assert.ThrowsAsync<ClipNotFoundException>(() => direct.GetInfoAsync(name, CancellationToken.None));
        Assert.Empty(await RawKeysAsync("tenants/tenant-a/"));
    }

    [Fact]
    public async Task A_clip_being_uploaded_is_never_listed_until_complete()
    {
        using var direct = _factory.Create();
        await direct.PutAsync(new ClipObjectName("tenant-a", "warmup", "video.mp4"), new MemoryStream([0]), TestClipFiles.Metadata(), CancellationToken.None);
        await using var proxy = new FaultyTcpProxy(_factory.Options().S3.Endpoint) { RequestBytesPerSecond = 4 * 1024 * 1024 };
        using var slow = _factory.Create(_factory.Options(proxy.Endpoint));
        var name = new ClipObjectName("tenant-a", "slow", "video.mp4");
        var payload = TestClipFiles.RandomBytes(7 * 1024 * 1024, 6);

        var upload = slow.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata("slow"), CancellationToken.None);
        var observations = 0;
        var unlistedWhileUploading = 0;
        while (!upload.IsCompleted)
        {
            var temporaries = await RawKeysAsync("tenants/tenant-a/uploads/");
            var listed = await direct.ListAsync("tenant-a", CancellationToken.None);
            var entry = listed.SingleOrDefault(clip => clip.Name.ClipId == "slow");

            // Whatever a listing shows is complete: full size and full metadata. The clip may appear just before
            // PutAsync returns (it still removes the temporary object), never earlier in a partial state.
            if (entry is not null)
            {
                Assert.Equal(payload.Length, entry.Size);
                Assert.Equal("slow", entry.Metadata.JobId);
            }
            else if (temporaries.Count > 0)
            {
                unlistedWhileUploading++;
            }

            observations++;

            // The temporary object is listed only between the end of its upload and its copy to the final key: look often.
            await Task.Delay(10);
        }

        var stored = await upload;
        Assert.True(observations >= 5, $"only {observations} listings ran during the upload");
        Assert.True(unlistedWhileUploading > 0, "the upload was never caught under its temporary key while unlisted");
        Assert.Equal(payload.Length, stored.Size);
        Assert.Contains(await direct.ListAsync("tenant-a", CancellationToken.None), clip => clip.Name.ClipId == "slow");
    }

    private static async Task<byte[]> ReadAsync(IClipStore store, ClipObjectName name, ByteRange range)
    {
        await using var stream = await store.OpenReadAsync(name, range, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<string>> RawKeysAsync(string prefix)
    {
        using var raw = _factory.RawClient();
        var keys = new List<string>();
        await foreach (var item in raw.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(_factory.Bucket).WithPrefix(prefix).WithRecursive(true)))
        {
            keys.Add(item.Key);
        }

        return keys;
    }
}
