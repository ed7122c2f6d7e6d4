using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using MovaCluster.Storage;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Storage.Retries;
using MovaCluster.Storage.S3;
using MovaCluster.Testing;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>Upload throughput of the clip stores against a loopback Swift + s3api server and the local disk.</summary>
internal static class UploadBenchmark
{
    public static async Task RunAsync()
    {
        await using var server = await S3Server.StartAsync();
        var options = Options.Create(new StorageOptions
        {
            Provider = ClipStoreProvider.S3,
            S3 = new S3StoreOptions { Endpoint = server.Endpoint, AccessKey = server.AccessKey, SecretKey = server.SecretKey, Region = server.Region, Bucket = "bench" },
        });
        using var store = new S3ClipStore(options, new StorageRetry(options, NullLogger<StorageRetry>.Instance, TimeProvider.System), new HttpClient(), NullLogger<S3ClipStore>.Instance);
        using var raw = new MinioClient().WithEndpoint(server.Endpoint).WithCredentials(server.AccessKey, server.SecretKey).WithRegion(server.Region).Build();
        var root = Directory.CreateTempSubdirectory("mova-bench-disk-");
        var disk = new LocalDiskClipStore(
            Options.Create(new StorageOptions { LocalDisk = new LocalDiskStoreOptions { RootPath = root.FullName } }),
            TimeProvider.System,
            NullLogger<LocalDiskClipStore>.Instance);
        var metadata = new ClipMetadata("bench", "mova-360p", 42, TimeSpan.FromSeconds(8.04));
        try
        {
            foreach (var megabytes in new[] { 4, 20, 64 })
            {
                var payload = new byte[megabytes * 1024 * 1024];
                new Random(megabytes).NextBytes(payload);
                var name = new ClipObjectName("bench", "clip", "video.mp4");
                var s3 = await Timing.MedianAsync(3, () => store.PutAsync(name, new MemoryStream(payload), metadata, CancellationToken.None));
                var plain = await Timing.MedianAsync(3, () => raw.PutObjectAsync(new PutObjectArgs().WithBucket("bench").WithObject("plain").WithStreamData(new MemoryStream(payload)).WithObjectSize(payload.Length)));
                var local = await Timing.MedianAsync(3, () => disk.PutAsync(name, new MemoryStream(payload), metadata, CancellationToken.None));
                var read = await Timing.MedianAsync(3, async () =>
                {
                    await using var stream = await store.OpenReadAsync(name, null, CancellationToken.None);
                    await stream.CopyToAsync(Stream.Null);
                });
                Console.WriteLine(
                    $"upload {megabytes,2} MiB: S3ClipStore {megabytes / s3.TotalSeconds:F0} MiB/s ({s3.TotalMilliseconds:F0} ms, temp + verify + copy), " +
                    $"plain SDK put {megabytes / plain.TotalSeconds:F0} MiB/s, local disk {megabytes / local.TotalSeconds:F0} MiB/s; S3 read {megabytes / read.TotalSeconds:F0} MiB/s");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
