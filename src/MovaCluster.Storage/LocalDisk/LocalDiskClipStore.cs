using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MovaCluster.Storage.LocalDisk;

/// <summary>
/// Clips as files under a root folder, with the same keys and rules as the S3 store: an upload is written to
/// <c>tenants/{tenant}/uploads/</c>, flushed, and renamed into place (atomic on one file system), so a listing never
/// shows a half-written clip. Metadata lives in a sidecar tree (<c>tenants/{tenant}/metadata/</c>). Download links
/// are HMAC-signed URLs under <see cref="LocalDiskStoreOptions.PublicBaseUrl"/>, served (with Range support) by
/// <see cref="LocalDiskDownloadEndpoints.MapLocalDiskClipDownloads"/>, which checks them with
/// <see cref="VerifyDownloadLink"/>.
/// </summary>
public sealed partial class LocalDiskClipStore : IClipStore
{
    private const string MetadataSuffix = ".json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StorageOptions _options;
    private readonly string _root;
    private readonly byte[] _signingKey;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalDiskClipStore> _logger;

    /// <summary>Creates the store over <see cref="LocalDiskStoreOptions.EffectiveRootPath"/>, creating the folder if needed.</summary>
    public LocalDiskClipStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<LocalDiskClipStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _root = _options.LocalDisk.EffectiveRootPath;
        _signingKey = _options.LocalDisk.SigningKey.Length > 0
            ? Encoding.UTF8.GetBytes(_options.LocalDisk.SigningKey)
            : RandomNumberGenerator.GetBytes(32);
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_root, $".probe-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
        File.Delete(probe);
    }

    /// <inheritdoc />
    public async Task<StoredClip> PutAsync(ClipObjectName name, Stream content, ClipMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(metadata);
        var uploads = Path.Combine(_root, ClipObjectName.UploadPrefix(name.Tenant));
        Directory.CreateDirectory(uploads);
        var temporary = Path.Combine(uploads, $"{name.ClipId}.{name.Variant}.{Guid.NewGuid():N}");
        var temporaryMetadata = temporary + MetadataSuffix;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            await File.WriteAllTextAsync(temporaryMetadata, JsonSerializer.Serialize(metadata, Json), cancellationToken).ConfigureAwait(false);
            var dataPath = DataPath(name);
            var metadataPath = MetadataPath(name);
            Directory.CreateDirectory(Path.GetDirectoryName(dataPath)!);
            Directory.CreateDirectory(Path.GetDirectoryName(metadataPath)!);
            // Metadata first: the data file appearing is what makes the object complete.
            File.Move(temporaryMetadata, metadataPath, overwrite: true);
            File.Move(temporary, dataPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporaryMetadata);
        }

        var stored = await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        LogStored(_logger, name.Key, stored.Size);
        return stored;
    }

    /// <inheritdoc />
    public async Task<StoredClip> GetInfoAsync(ClipObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var data = new FileInfo(DataPath(name));
        if (!data.Exists)
        {
            throw new ClipNotFoundException(name.Key);
        }

        ClipMetadata metadata;
        try
        {
            await using var stream = File.OpenRead(MetadataPath(name));
            metadata = await JsonSerializer.DeserializeAsync<ClipMetadata>(stream, Json, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Empty metadata for '{name.Key}'.");
        }
        catch (FileNotFoundException error)
        {
            throw new ClipNotFoundException(name.Key, error);
        }

        return new StoredClip(name, data.Length, metadata, new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredClip>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_root, ClipObjectName.TenantPrefix(tenant));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var names = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => ClipObjectName.TryParseKey(Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OfType<ClipObjectName>();
        return await ClipListing.StatAllAsync(names, GetInfoAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Uri> GetDownloadUrlAsync(ClipObjectName name, TimeSpan? expiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lifetime = ClipListing.LinkLifetime(expiry, _options);

        await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        var expires = _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var signature = Sign(name.Key, expires);
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{_options.LocalDisk.PublicBaseUrl}{name.Key}?expires={expires}&signature={signature}"));
    }

    /// <summary>
    /// Checks a download link's key, expiry and signature; returns the object name when the link is valid and
    /// unexpired, otherwise null.
    /// </summary>
    public ClipObjectName? VerifyDownloadLink(string key, long expires, string signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signature);
        if (ClipObjectName.TryParseKey(key) is not { } name || _time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, expires));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? name : null;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(ClipObjectName name, ByteRange? range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        range?.Validate();
        FileStream file;
        try
        {
            file = new FileStream(DataPath(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ClipNotFoundException(name.Key, error);
        }

        if (range is null)
        {
            return Task.FromResult<Stream>(file);
        }

        var size = file.Length;
        if (range.Offset >= size)
        {
            file.Dispose();
            throw new ArgumentOutOfRangeException(nameof(range), range, $"Range {range.ToHeaderValue()} lies outside {name.Key} ({size} bytes).");
        }

        file.Position = range.Offset;
        var length = Math.Min(range.Length ?? long.MaxValue, size - range.Offset);
        return Task.FromResult<Stream>(new BoundedReadStream(file, length));
    }

    /// <inheritdoc />
    public Task DeleteAsync(ClipObjectName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Data first, so that a crash in between leaves an orphan sidecar, never a listed clip without metadata.
        File.Delete(DataPath(name));
        File.Delete(MetadataPath(name));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> DeleteClipAsync(string tenant, string clipId, CancellationToken cancellationToken)
    {
        var prefix = ClipObjectName.ClipPrefix(tenant, clipId);
        var removed = 0;
        foreach (var clip in await ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            if (clip.Name.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                await DeleteAsync(clip.Name, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    private string DataPath(ClipObjectName name) => Path.Combine(_root, name.Key);

    private string MetadataPath(ClipObjectName name) =>
        Path.Combine(_root, "tenants", name.Tenant, "metadata", name.ClipId, name.Variant + MetadataSuffix);

    private string Sign(string key, long expires)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key}\n{expires}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, message));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Key} ({Size} bytes) on local disk")]
    private static partial void LogStored(ILogger logger, string key, long size);
}
