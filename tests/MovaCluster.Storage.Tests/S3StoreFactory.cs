using Microsoft.Extensions.Logging.Abstractions;
using Minio;
using MovaCluster.Storage.Retries;
using MovaCluster.Storage.S3;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

/// <summary>Builds S3 stores against the test server (optionally through a proxy) with a bucket per test.</summary>
internal sealed class S3StoreFactory(S3Server server)
{
    public string Bucket { get; } = "clips-" + Guid.NewGuid().ToString("N")[..12];

    public StorageOptions Options(string? endpoint = null, int maxAttempts = 3) => new()
    {
        Provider = ClipStoreProvider.S3,
        MaxAttempts = maxAttempts,
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        RequestTimeout = TimeSpan.FromSeconds(15),
        S3 = new S3StoreOptions
        {
            Endpoint = endpoint ?? server.Endpoint,
            AccessKey = server.AccessKey,
            SecretKey = server.SecretKey,
            Region = server.Region,
            Bucket = Bucket,
        },
    };

    public S3ClipStore Create(StorageOptions? options = null)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options ?? Options());
        var retry = new StorageRetry(wrapped, NullLogger<StorageRetry>.Instance, TimeProvider.System);
        return new S3ClipStore(wrapped, retry, new HttpClient(), NullLogger<S3ClipStore>.Instance);
    }

    /// <summary>A plain SDK client on the same server, to look behind the store's back.</summary>
    public IMinioClient RawClient() => new MinioClient()
        .WithEndpoint(server.Endpoint)
        .WithCredentials(server.AccessKey, server.SecretKey)
        .WithRegion(server.Region)
        .Build();
}
