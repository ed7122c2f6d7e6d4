using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using MovaCluster.Storage.Retries;

namespace MovaCluster.Storage.Objects;

/// <summary>
/// Objects in the S3 clip store's bucket (<see cref="S3StoreOptions.Bucket"/>; created when missing). A single PUT
/// is atomic in S3, so objects go straight to their key.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly IMinioClient _client;
    private readonly StorageRetry _retry;
    private readonly StorageOptions _options;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketReady;

    public S3ObjectStore(IOptions<StorageOptions> options, StorageRetry retry)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _retry = retry;
        _client = new MinioClient()
            .WithEndpoint(_options.S3.Endpoint)
            .WithCredentials(_options.S3.AccessKey, _options.S3.SecretKey)
            .WithRegion(_options.S3.Region)
            .WithSSL(_options.S3.UseSsl)
            .WithTimeout((int)_options.RequestTimeout.TotalMilliseconds)
            .Build();
    }

    private string Bucket => _options.S3.Bucket;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ObjectKey.Check(key);
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("Object uploads need a seekable stream so that a failed attempt can be retried from the start.", nameof(content));
        }

        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var start = content.Position;
        var length = content.Length - start;
        await _retry.ExecuteAsync($"upload of {key}", async (_, token) =>
        {
            content.Position = start;
            await _client.PutObjectAsync(
                new PutObjectArgs().WithBucket(Bucket).WithObject(key).WithStreamData(content).WithObjectSize(length).WithContentType("application/octet-stream"),
                token).ConfigureAwait(false);
            var stored = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(Bucket).WithObject(key), token).ConfigureAwait(false);
            if (stored.Size != length)
            {
                throw new ClipTransferException($"Upload of {key} stored {stored.Size} of {length} bytes.", transient: true);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task DownloadAsync(string key, Stream destination, CancellationToken cancellationToken)
    {
        ObjectKey.Check(key);
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.Position;
        await _retry.ExecuteAsync($"download of {key}", async (_, token) =>
        {
            destination.Position = start;
            destination.SetLength(start);
            try
            {
                await _client.GetObjectAsync(
                    new GetObjectArgs().WithBucket(Bucket).WithObject(key).WithCallbackStream((body, ct) => body.CopyToAsync(destination, ct)),
                    token).ConfigureAwait(false);
            }
            catch (Exception error) when (IsMissing(error))
            {
                throw new StoredObjectNotFoundException(key, error);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKey.Check(key);
        return _retry.ExecuteAsync($"stat of {key}", async (_, token) =>
        {
            try
            {
                var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(Bucket).WithObject(key), token).ConfigureAwait(false);
                return (long?)stat.Size;
            }
            catch (Exception error) when (IsMissing(error) || error is BucketNotFoundException)
            {
                return null;
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        ObjectKey.CheckPrefix(prefix);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        return await _retry.ExecuteAsync($"listing of {prefix}", async (_, token) =>
        {
            var found = new List<StoredObject>();
            var listing = _client.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithPrefix(prefix).WithRecursive(true), token);
            await foreach (var item in listing.ConfigureAwait(false))
            {
                if (!item.IsDir)
                {
                    found.Add(new StoredObject(item.Key, (long)item.Size));
                }
            }

            return (IReadOnlyList<StoredObject>)[.. found.OrderBy(o => o.Key, StringComparer.Ordinal)];
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKey.Check(key);
        return _retry.ExecuteAsync($"deletion of {key}", async (_, token) =>
        {
            try
            {
                await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Bucket).WithObject(key), token).ConfigureAwait(false);
            }
            catch (Exception error) when (IsMissing(error))
            {
                // Already gone: deletion is idempotent.
            }
        }, cancellationToken);
    }

    public void Dispose()
    {
        _bucketGate.Dispose();
        _client.Dispose();
    }

    private static bool IsMissing(Exception error) =>
        error is ObjectNotFoundException || (error is MinioException minio && minio.Response?.Code is "NoSuchKey" or "NotFound");

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_bucketReady)
            {
                await _retry.ExecuteAsync($"creation of bucket {Bucket}", async (_, token) =>
                {
                    if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(Bucket), token).ConfigureAwait(false))
                    {
                        await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(Bucket).WithLocation(_options.S3.Region), token).ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
                _bucketReady = true;
            }
        }
        finally
        {
            _bucketGate.Release();
        }
    }
}
