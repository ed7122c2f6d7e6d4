using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MovaCluster.Storage.LocalDisk;

namespace MovaCluster.Storage.Tests;

public sealed class LocalDiskClipStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mova-disk-store-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly LocalDiskClipStore _store;

    public LocalDiskClipStoreTests()
    {
        var options = new StorageOptions
        {
            LocalDisk = new LocalDiskStoreOptions
            {
                RootPath = _root.FullName,
                PublicBaseUrl = "http://clips.example/files/",
                SigningKey = new string('k', 40),
            },
        };
        _store = new LocalDiskClipStore(Microsoft.Extensions.Options.Options.Create(options), _time, NullLogger<LocalDiskClipStore>.Instance);
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Put_round_trips_bytes_and_metadata_and_lists_per_tenant()
    {
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        var payload = TestClipFiles.RandomBytes(200_000, 10);

        var stored = await _store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata("job-1"), CancellationToken.None);
        await _store.PutAsync(new ClipObjectName("tenant-b", "job-2", "video.mp4"), new MemoryStream([1]), TestClipFiles.Metadata("job-2"), CancellationToken.None);

        Assert.Equal(payload.Length, stored.Size);
        Assert.Equal(TestClipFiles.Metadata("job-1"), (await _store.GetInfoAsync(name, CancellationToken.None)).Metadata);
        Assert.Equal([name], (await _store.ListAsync("tenant-a", CancellationToken.None)).Select(c => c.Name));
        await using var read = await _store.OpenReadAsync(name, null, CancellationToken.None);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(payload, copy.ToArray());
    }

    [Fact]
    public async Task A_clip_being_written_is_not_listed_until_complete()
    {
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        var gate = new GatedStream(TestClipFiles.RandomBytes(1_000_000, 11), releaseAfter: 300_000);

        var upload = _store.PutAsync(name, gate, TestClipFiles.Metadata(), CancellationToken.None);
        await gate.Paused;

        Assert.Empty(await _store.ListAsync("tenant-a", CancellationToken.None));
        await Assert.ThrowsAsync<ClipNotFoundException>(() => _store.GetInfoAsync(name, CancellationToken.None));
        Assert.Single(Directory.GetFiles(Path.Combine(_root.FullName, "tenants", "tenant-a", "uploads")));
        gate.Release();
        await upload;
        Assert.Single(await _store.ListAsync("tenant-a", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.FullName, "tenants", "tenant-a", "uploads")));
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_behind()
    {
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        var failing = new GatedStream(TestClipFiles.RandomBytes(100_000, 12), releaseAfter: 10_000, failInsteadOfPausing: true);

        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(name, failing, TestClipFiles.Metadata(), CancellationToken.None));

        Assert.Empty(await _store.ListAsync("tenant-a", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.FullName, "tenants", "tenant-a", "uploads")));
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_requested_bytes()
    {
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        var payload = TestClipFiles.RandomBytes(50_000, 13);
        await _store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata(), CancellationToken.None);

        Assert.Equal(payload[100..1100], await ReadAsync(name, new ByteRange(100, 1000)));
        Assert.Equal(payload[49_000..], await ReadAsync(name, new ByteRange(49_000)));
        Assert.Equal(payload[49_990..], await ReadAsync(name, new ByteRange(49_990, 500)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.OpenReadAsync(name, new ByteRange(60_000, 1), CancellationToken.None));
    }

    [Fact]
    public async Task Missing_object_is_a_clear_error()
    {
        var name = new ClipObjectName("tenant-a", "nope", "video.mp4");

        var error = await Assert.ThrowsAsync<ClipNotFoundException>(() => _store.OpenReadAsync(name, null, CancellationToken.None));
        await Assert.ThrowsAsync<ClipNotFoundException>(() => _store.GetInfoAsync(name, CancellationToken.None));
        await Assert.ThrowsAsync<ClipNotFoundException>(() => _store.GetDownloadUrlAsync(name, null, CancellationToken.None));

        Assert.Equal("Clip object 'tenants/tenant-a/clips/nope/video.mp4' was not found.", error.Message);
    }

    [Fact]
    public async Task Download_links_verify_until_they_expire_and_not_when_tampered_with()
    {
        var name = new ClipObjectName("tenant-a", "job-1", "video.mp4");
        await _store.PutAsync(name, new MemoryStream([1, 2, 3]), TestClipFiles.Metadata(), CancellationToken.None);

        var link = await _store.GetDownloadUrlAsync(name, TimeSpan.FromMinutes(10), CancellationToken.None);
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var key = link.AbsolutePath["/files/".Length..];
        var expires = long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        var signature = query["signature"]!;

        Assert.StartsWith("http://clips.example/files/tenants/tenant-a/clips/job-1/video.mp4?", link.ToString(), StringComparison.Ordinal);
        Assert.Equal(name, _store.VerifyDownloadLink(key, expires, signature));
        Assert.Null(_store.VerifyDownloadLink("tenants/tenant-b/clips/job-1/video.mp4", expires, signature));
        Assert.Null(_store.VerifyDownloadLink(key, expires + 3600, signature));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(_store.VerifyDownloadLink(key, expires, signature));
    }

    [Fact]
    public async Task Delete_clip_removes_every_variant()
    {
        foreach (var variant in new[] { "video.mp4", "thumbnail.webp" })
        {
            await _store.PutAsync(new ClipObjectName("tenant-a", "job-1", variant), new MemoryStream([1]), TestClipFiles.Metadata(), CancellationToken.None);
        }

        await _store.PutAsync(new ClipObjectName("tenant-a", "job-10", "video.mp4"), new MemoryStream([1]), TestClipFiles.Metadata(), CancellationToken.None);

        Assert.Equal(2, await _store.DeleteClipAsync("tenant-a", "job-1", CancellationToken.None));
        await _store.DeleteAsync(new ClipObjectName("tenant-a", "job-1", "video.mp4"), CancellationToken.None);
        Assert.Equal(["job-10"], (await _store.ListAsync("tenant-a", CancellationToken.None)).Select(c => c.Name.ClipId));
    }

    private async Task<byte[]> ReadAsync(ClipObjectName name, ByteRange range)
    {
        await using var stream = await _store.OpenReadAsync(name, range, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
