using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

/// <summary>The local-disk store's links served over real HTTP behave like S3 presigned URLs.</summary>
public sealed class LocalDiskDownloadEndpointTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mova-disk-http-");
    private readonly HttpClient _http = new();
    private WebApplication? _app;

    private IClipStore Store => _app!.Services.GetRequiredService<IClipStore>();

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mova:Storage:LocalDisk:RootPath"] = _root.FullName,
            ["Mova:Storage:LocalDisk:PublicBaseUrl"] = $"http://127.0.0.1:{port}/files/",
        });
        builder.Services.AddMovaStorage(builder.Configuration);
        _app = builder.Build();
        _app.MapLocalDiskClipDownloads();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task Link_downloads_the_clip_and_serves_ranges()
    {
        var name = new ClipObjectName("tenant-a", "job-1", StandardVariants.Video);
        var payload = TestClipFiles.RandomBytes(100_000, 20);
        await Store.PutAsync(name, new MemoryStream(payload), TestClipFiles.Metadata(), CancellationToken.None);
        var link = await Store.GetDownloadUrlAsync(name, TimeSpan.FromMinutes(1), CancellationToken.None);

        using var whole = await _http.GetAsync(link);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, link);
        ranged.Headers.Range = new RangeHeaderValue(1_000, 1_999);
        using var part = await _http.SendAsync(ranged);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(payload, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(payload[1_000..2_000], await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Expired_or_altered_links_are_refused()
    {
        var name = new ClipObjectName("tenant-a", "job-2", StandardVariants.Video);
        await Store.PutAsync(name, new MemoryStream([1, 2, 3]), TestClipFiles.Metadata(), CancellationToken.None);
        await Store.PutAsync(new ClipObjectName("tenant-b", "job-2", StandardVariants.Video), new MemoryStream([4]), TestClipFiles.Metadata(), CancellationToken.None);
        var link = await Store.GetDownloadUrlAsync(name, TimeSpan.FromSeconds(1), CancellationToken.None);
        var otherTenant = new Uri(link.ToString().Replace("tenant-a", "tenant-b", StringComparison.Ordinal));
        var unsigned = new Uri(link.GetLeftPart(UriPartial.Path));

        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(otherTenant)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(unsigned)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(link)).StatusCode);
    }
}
