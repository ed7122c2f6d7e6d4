using System.Net;
using System.Text;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using MovaCluster.Testing;

namespace MovaCluster.Storage.Tests;

/// <summary>The test S3 server is real: the Minio SDK works against it, and it refuses what S3 refuses.</summary>
public sealed class S3ServerTests(S3Fixture s3) : IClassFixture<S3Fixture>
{
    private IMinioClient Client(string? secret = null) => new MinioClient()
        .WithEndpoint(s3.Server.Endpoint)
        .WithCredentials(s3.Server.AccessKey, secret ?? s3.Server.SecretKey)
        .WithRegion(s3.Server.Region)
        .Build();

    [Fact]
    public async Task Bucket_put_get_list_and_presigned_get_round_trip()
    {
        using var client = Client();
        var bucket = "roundtrip-" + Guid.NewGuid().ToString("N")[..8];
        var payload = Encoding.UTF8.GetBytes("mova clip bytes " + Guid.NewGuid());

        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        Assert.True(await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)));

        using (var upload = new MemoryStream(payload))
        {
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject("tenant-a/clip.bin")
                .WithStreamData(upload).WithObjectSize(payload.Length).WithContentType("application/octet-stream"));
        }

        using var downloaded = new MemoryStream();
        await client.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject("tenant-a/clip.bin")
            .WithCallbackStream(stream => stream.CopyTo(downloaded)));
        Assert.Equal(payload, downloaded.ToArray());

        var keys = new List<string>();
        await foreach (var item in client.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(bucket).WithRecursive(true)))
        {
            keys.Add(item.Key);
        }

        Assert.Equal(["tenant-a/clip.bin"], keys);

        var url = await client.PresignedGetObjectAsync(new PresignedGetObjectArgs().WithBucket(bucket).WithObject("tenant-a/clip.bin").WithExpiry(60));
        using var http = new HttpClient();
        Assert.Equal(payload, await http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Expired_presigned_url_is_refused()
    {
        using var client = Client();
        var bucket = "expiry-" + Guid.NewGuid().ToString("N")[..8];
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        using (var upload = new MemoryStream(new byte[] { 1, 2, 3 }))
        {
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject("x").WithStreamData(upload).WithObjectSize(3));
        }

        var url = await client.PresignedGetObjectAsync(new PresignedGetObjectArgs().WithBucket(bucket).WithObject("x").WithExpiry(1));
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_secret_is_refused()
    {
        using var client = Client(secret: "not-the-secret");
        var bucket = "denied-" + Guid.NewGuid().ToString("N")[..8];

        var error = await Assert.ThrowsAsync<AuthorizationException>(() => client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket)));

        Assert.Contains("signature", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
