using Microsoft.Extensions.Options;

namespace MovaCluster.Storage.Objects;

/// <summary>
/// Objects as files under the local-disk clip store's root (<see cref="LocalDiskStoreOptions.EffectiveRootPath"/>), written to
/// a temporary file beside the target and renamed into place.
/// </summary>
public sealed class LocalDiskObjectStore : IObjectStore
{
    private const string TemporarySuffix = ".partial";
    private readonly string _root;

    public LocalDiskObjectStore(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = options.Value.LocalDisk.EffectiveRootPath;
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task DownloadAsync(string key, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        FileStream file;
        try
        {
            file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoredObjectNotFoundException(key, error);
        }

        await using (file)
        {
            await file.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult<long?>(file.Exists ? file.Length : null);
    }

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = PathOf(ObjectKey.CheckPrefix(prefix)[..^1]);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult<IReadOnlyList<StoredObject>>([]);
        }

        IReadOnlyList<StoredObject> found = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(path => new StoredObject(Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(path).Length))
            .OrderBy(o => o.Key, StringComparer.Ordinal)];
        return Task.FromResult(found);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key) => Path.Combine(_root, ObjectKey.Check(key).Replace('/', Path.DirectorySeparatorChar));
}
