using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using MovaCluster.Storage.Retries;

namespace MovaCluster.Storage.S3;

/// <summary>
/// Clips in one S3 bucket, keyed <c>tenants/{tenant}/clips/{clip}/{variant}</c>. Uploads land under
/// <c>tenants/{tenant}/uploads/</c>, are checked for size, then copied to their final key in one server-side step,
/// so a listing never shows a clip that is still being written.
/// </summary>
public sealed partial class S3ClipStore : IClipStore, IDisposable
{
    // Ranged reads go through a presigned URL because Minio 7.0.0's ranged GET throws PartialContentException.
    private static readonly TimeSpan InternalLinkExpiry = TimeSpan.FromMinutes(5);

    private readonly IMinioClient _client;
    private readonly IMinioClient _publicClient;
    private readonly HttpClient _http;
    private readonly StorageRetry _retry;
    private readonly StorageOptions _options;
    private readonly ILogger<S3ClipStore> _logger;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketReady;

    /// <summary>Creates the store; <paramref name="http"/> serves ranged reads.</summary>
    public S3ClipStore(IOptions<StorageOptions> options, StorageRetry retry, HttpClient http, ILogger<S3ClipStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _retry = retry;
        _http = http;
        _logger = logger;
        _client = Build(_options.S3.Endpoint);
        _publicClient = string.IsNullOrEmpty(_options.S3.PublicEndpoint) ? _client : Build(_options.S3.PublicEndpoint);
    }

    private string Bucket => _options.S3.Bucket;

    /// <inheritdoc />
    public async Task<StoredClip> PutAsync(ClipObjectName name, Stream content, ClipMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!content.CanSeek)
        {
            throw new ArgumentException("Clip uploads need a seekable stream so that a failed attempt can be retried from the start.", nameof(content));
        }

        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var start = content.Position;
        var length = content.Length - start;
        var temporary = $"{ClipObjectName.UploadPrefix(name.Tenant)}{name.ClipId}/{name.Variant}.{Guid.NewGuid():N}";
        var headers = ClipMetadataHeaders.ToHeaders(metadata);
        try
        {
            await _retry.ExecuteAsync($"upload of {name.Key}", async (_, token) =>
            {
                content.Position = start;
                await _client.PutObjectAsync(
                    new PutObjectArgs()
                        .WithBucket(Bucket)
                        .WithObject(temporary)
                        .WithStreamData(content)
                        .WithObjectSize(length)
                        .WithContentType(metadata.ContentType)
                        .WithHeaders(headers),
                    token).ConfigureAwait(false);
                var uploaded = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(Bucket).WithObject(temporary), token).ConfigureAwait(false);
                if (uploaded.Size != length)
                {
                    throw new ClipTransferException($"Upload of {name.Key} stored {uploaded.Size} of {length} bytes.", transient: true);
                }
            }, cancellationToken).ConfigureAwait(false);

            await _retry.ExecuteAsync($"completion of {name.Key}", (_, token) => _client.CopyObjectAsync(
                new CopyObjectArgs()
                    .WithBucket(Bucket)
                    .WithObject(name.Key)
                    .WithCopyObjectSource(new CopySourceObjectArgs().WithBucket(Bucket).WithObject(temporary)),
                token), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RemoveTemporaryAsync(temporary).ConfigureAwait(false);
        }

        var stored = await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        LogStored(_logger, name.Key, stored.Size);
        return stored;
    }

    /// <inheritdoc />
    public Task<StoredClip> GetInfoAsync(ClipObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _retry.ExecuteAsync($"stat of {name.Key}", async (_, token) =>
        {
            try
            {
                var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(Bucket).WithObject(name.Key), token).ConfigureAwait(false);
                var metadata = ClipMetadataHeaders.FromObject(name.Key, stat.MetaData, stat.ContentType);
                return new StoredClip(name, stat.Size, metadata, new DateTimeOffset(DateTime.SpecifyKind(stat.LastModified, DateTimeKind.Utc)));
            }
            catch (Exception error) when (IsMissing(error))
            {
                throw new ClipNotFoundException(name.Key, error);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredClip>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var prefix = ClipObjectName.TenantPrefix(tenant);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var names = await _retry.ExecuteAsync($"listing of {prefix}", async (_, token) =>
        {
            var found = new List<ClipObjectName>();
            var listing = _client.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithPrefix(prefix).WithRecursive(true), token);
            await foreach (var item in listing.ConfigureAwait(false))
            {
                if (ClipObjectName.TryParseKey(item.Key) is { } name)
                {
                    found.Add(name);
                }
            }

            return found;
        }, cancellationToken).ConfigureAwait(false);

        return await ClipListing.StatAllAsync(names, GetInfoAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Uri> GetDownloadUrlAsync(ClipObjectName name, TimeSpan? expiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lifetime = ClipListing.LinkLifetime(expiry, _options);

        // Only links to objects that exist: a link that 404s later is a worse error than one now.
        await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        return await PresignAsync(_publicClient, name, lifetime).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(ClipObjectName name, ByteRange? range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        range?.Validate();
        return _retry.ExecuteAsync($"read of {name.Key}", async (_, token) =>
        {
            var url = await PresignAsync(_client, name, InternalLinkExpiry).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (range is not null)
            {
                request.Headers.Range = new RangeHeaderValue(range.Offset, range.Length is { } length ? range.Offset + length - 1 : null);
            }

            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            try
            {
                CheckReadStatus(name, range, response);
                var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                return (Stream)new ResponseStream(response, body);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(ClipObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _retry.ExecuteAsync($"deletion of {name.Key}", async (_, token) =>
        {
            try
            {
                await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Bucket).WithObject(name.Key), token).ConfigureAwait(false);
            }
            catch (Exception error) when (IsMissing(error))
            {
                // Already gone: deletion is idempotent.
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteClipAsync(string tenant, string clipId, CancellationToken cancellationToken)
    {
        var prefix = ClipObjectName.ClipPrefix(tenant, clipId);
        var variants = (await ListAsync(tenant, cancellationToken).ConfigureAwait(false))
            .Where(clip => clip.Name.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        foreach (var clip in variants)
        {
            await DeleteAsync(clip.Name, cancellationToken).ConfigureAwait(false);
        }

        return variants.Count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bucketGate.Dispose();
        _client.Dispose();
        if (!ReferenceEquals(_publicClient, _client))
        {
            _publicClient.Dispose();
        }
    }

    private static void CheckReadStatus(ClipObjectName name, ByteRange? range, HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK when range is null || range.Offset == 0:
            case HttpStatusCode.PartialContent when range is not null:
                return;
            case HttpStatusCode.OK:
                throw new ClipTransferException($"The store ignored the range request for {name.Key}.", transient: false);
            case HttpStatusCode.NotFound:
                throw new ClipNotFoundException(name.Key);
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                throw new ArgumentOutOfRangeException(nameof(range), range, $"Range {range?.ToHeaderValue()} lies outside {name.Key}.");
            default:
                throw new ClipTransferException(
                    $"Reading {name.Key} answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                    TransientStorageErrors.IsTransientStatus(response.StatusCode));
        }
    }

    private static bool IsMissing(Exception error) =>
        error is ObjectNotFoundException || (error is MinioException minio && minio.Response?.Code is "NoSuchKey" or "NotFound");

    private async Task<Uri> PresignAsync(IMinioClient client, ClipObjectName name, TimeSpan lifetime)
    {
        var url = await client.PresignedGetObjectAsync(new PresignedGetObjectArgs()
            .WithBucket(Bucket)
            .WithObject(name.Key)
            .WithExpiry((int)Math.Ceiling(lifetime.TotalSeconds))).ConfigureAwait(false);
        return new Uri(url);
    }

    /// <inheritdoc />
    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        // A missing bucket is created at the first write: that the store answers is what counts here.
        await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(Bucket), timeout.Token).ConfigureAwait(false);
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketReady)
            {
                return;
            }

            await _retry.ExecuteAsync($"creation of bucket {Bucket}", async (_, token) =>
            {
                if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(Bucket), token).ConfigureAwait(false))
                {
                    await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(Bucket).WithLocation(_options.S3.Region), token).ConfigureAwait(false);
                    LogBucketCreated(_logger, Bucket);
                }
            }, cancellationToken).ConfigureAwait(false);
            _bucketReady = true;
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    private async Task RemoveTemporaryAsync(string temporary)
    {
        // Best effort, and deliberately not tied to the caller's token: a cancelled upload should still clean up.
        using var cleanup = new CancellationTokenSource(_options.RequestTimeout);
        try
        {
            await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Bucket).WithObject(temporary), cleanup.Token).ConfigureAwait(false);
            await _client.RemoveIncompleteUploadAsync(new RemoveIncompleteUploadArgs().WithBucket(Bucket).WithObject(temporary), cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is MinioException or HttpRequestException or IOException or SocketException or OperationCanceledException)
        {
            LogCleanupFailed(_logger, temporary, error.Message);
        }
    }

    private IMinioClient Build(string endpoint) => new MinioClient()
        .WithEndpoint(endpoint)
        .WithCredentials(_options.S3.AccessKey, _options.S3.SecretKey)
        .WithRegion(_options.S3.Region)
        .WithSSL(_options.S3.UseSsl)
        .WithTimeout((int)_options.RequestTimeout.TotalMilliseconds)
        .Build();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created bucket {Bucket}")]
    private static partial void LogBucketCreated(ILogger logger, string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Key} ({Size} bytes)")]
    private static partial void LogStored(ILogger logger, string key, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove temporary upload {Key}: {Error}")]
    private static partial void LogCleanupFailed(ILogger logger, string key, string error);
}
