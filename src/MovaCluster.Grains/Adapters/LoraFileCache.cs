using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Loras;
using MovaCluster.Execution;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Grains.Adapters;

/// <summary>
/// Adapter files on this silo, fetched from the object store into one folder per digest
/// (<see cref="Execution.Lora.LoraExecutionOptions.FileCacheFolder"/>) and shared by the silo's workers. A folder
/// appears whole (downloaded beside it, then renamed); beyond the byte budget, the least recently used folders no
/// running job uses are deleted.
/// </summary>
internal sealed partial class LoraFileCache(IObjectStore store, IOptions<ExecutionOptions> options, ILogger<LoraFileCache> logger)
{
    private static readonly TimeSpan AbandonedDownloadAge = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pins = new(StringComparer.Ordinal);

    private string Root => Path.GetFullPath(options.Value.Lora.FileCacheFolder);

    /// <summary>Fetches what is missing of <paramref name="loras"/> and pins their folders until the lease is disposed.</summary>
    public async Task<LoraFileLease> FetchAsync(IReadOnlyList<JobLora> loras, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loras);
        if (loras.Count == 0)
        {
            return LoraFileLease.Empty;
        }

        var distinct = loras.DistinctBy(lora => lora.Digest, StringComparer.Ordinal).ToList();
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        var pinned = new List<string>();
        try
        {
            foreach (var lora in distinct)
            {
                Pin(lora.Digest);
                pinned.Add(lora.Digest);
                folders[lora.Digest] = await EnsureAsync(lora, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            pinned.ForEach(Unpin);
            throw;
        }

        Trim();
        return new LoraFileLease(folders, () => pinned.ForEach(Unpin));
    }

    /// <summary>Deletes the folders of <paramref name="digests"/> (files that did not read as their digest), unless a run uses them.</summary>
    public void Evict(IEnumerable<string> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        foreach (var digest in digests)
        {
            lock (_pins)
            {
                if (_pins.GetValueOrDefault(digest) == 0)
                {
                    DeleteFolder(Path.Combine(Root, digest));
                }
            }
        }
    }

    private async Task<string> EnsureAsync(JobLora lora, CancellationToken cancellationToken)
    {
        if (!LoraObjectKeys.IsDigest(lora.Digest))
        {
            throw new ArgumentException($"'{lora.Digest}' is not a LoRA digest.", nameof(lora));
        }

        var folder = Path.Combine(Root, lora.Digest);
        var gate = _gates.GetOrAdd(lora.Digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
                return folder;
            }

            var objects = await store.ListAsync(lora.Location, cancellationToken).ConfigureAwait(false);
            var files = objects.Where(o => LoraObjectKeys.Files.Contains(o.Key[lora.Location.Length..])).ToList();
            if (files.Count == 0)
            {
                throw new InvalidOperationException($"LoRA adapter '{lora.Name}' ({lora.Digest}) is no longer stored under {lora.Location}.");
            }

            Directory.CreateDirectory(Root);
            var downloading = Path.Combine(Root, $".{lora.Digest}.{Guid.NewGuid():N}");
            Directory.CreateDirectory(downloading);
            try
            {
                foreach (var file in files)
                {
                    await using var target = new FileStream(
                        Path.Combine(downloading, file.Key[lora.Location.Length..]), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
                    await store.DownloadAsync(file.Key, target, cancellationToken).ConfigureAwait(false);
                }

                Directory.Move(downloading, folder);
            }
            catch
            {
                DeleteFolder(downloading);
                throw;
            }

            LogFetched(lora.Name, lora.Digest, files.Sum(f => f.Size));
            return folder;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Trim()
    {
        var root = new DirectoryInfo(Root);
        if (!root.Exists)
        {
            return;
        }

        var now = DateTime.UtcNow;
        foreach (var abandoned in root.EnumerateDirectories(".*").Where(d => now - d.LastWriteTimeUtc > AbandonedDownloadAge))
        {
            DeleteFolder(abandoned.FullName);
        }

        var cached = root.EnumerateDirectories()
            .Where(d => LoraObjectKeys.IsDigest(d.Name))
            .Select(d => (Folder: d, Bytes: d.EnumerateFiles().Sum(f => f.Length)))
            .OrderBy(entry => entry.Folder.LastWriteTimeUtc)
            .ToList();
        var total = cached.Sum(entry => entry.Bytes);
        foreach (var (folder, bytes) in cached)
        {
            if (total <= options.Value.Lora.FileCacheBytes)
            {
                break;
            }

            lock (_pins)
            {
                if (_pins.GetValueOrDefault(folder.Name) > 0)
                {
                    continue;
                }

                DeleteFolder(folder.FullName);
            }

            total -= bytes;
            LogEvicted(folder.Name, bytes);
        }
    }

    private void Pin(string digest)
    {
        lock (_pins)
        {
            _pins[digest] = _pins.GetValueOrDefault(digest) + 1;
        }
    }

    private void Unpin(string digest)
    {
        lock (_pins)
        {
            if (--_pins[digest] == 0)
            {
                _pins.Remove(digest);
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Fetched LoRA adapter {Name} ({Digest}, {Bytes} bytes) to this silo")]
    private partial void LogFetched(string name, string digest, long bytes);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Removed LoRA adapter files {Digest} ({Bytes} bytes) from this silo's cache")]
    private partial void LogEvicted(string digest, long bytes);
}
