using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Loras;
using MovaCluster.Model.Lora;
using MovaCluster.Storage.Objects;

namespace MovaCluster.Grains.Adapters;

/// <summary>
/// Registration's heavy half, on the silo: copies the adapter's files into a private folder (from an upload, an
/// allowed object key or an allowed path), reads them with the official-format reader, validates them against the
/// served model's layer catalog, and stores them under the scope's content prefix by digest. One inspection at a
/// time per silo: reading an adapter holds all of its tensors in memory.
/// </summary>
internal sealed partial class LoraInspector(
    IObjectStore store, ServedLoraCatalog served, IOptions<LoraRegistryOptions> options, ILogger<LoraInspector> logger)
{
    public const string InvalidAdapter = "invalid_adapter";
    public const string TooLarge = "adapter_too_large";
    public const string NotAllowed = "reference_not_allowed";
    public const string NotFound = "reference_not_found";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<LoraInspection> InspectAsync(LoraInspectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var work = Directory.CreateTempSubdirectory("mova-lora-inspect-");
        try
        {
            await MaterializeAsync(request, work.FullName, cancellationToken).ConfigureAwait(false);
            var content = await Task.Run(() => Read(request, work.FullName), cancellationToken).ConfigureAwait(false);
            var stored = await StoreAsync(work.FullName, content.Location, cancellationToken).ConfigureAwait(false);
            if (request.SourceKind == LoraSourceKind.Upload)
            {
                await DeleteUploadAsync(request.Source, cancellationToken).ConfigureAwait(false);
            }

            LogStored(content.Digest, content.Location, content.LayerCount, content.Rank);
            return LoraInspection.Stored(content with { StoredBytes = stored });
        }
        catch (LoraInspectionProblem problem)
        {
            LogRefused(request.SourceKind, problem.Code, problem.Message);
            return LoraInspection.Failed(problem.Code, problem.Message, problem.Key);
        }
        finally
        {
            work.Delete(recursive: true);
            _gate.Release();
        }
    }

    private LoraContent Read(LoraInspectionRequest request, string folder)
    {
        LoraAdapter adapter;
        try
        {
            adapter = LoraAdapterReader.Read(folder, request.AlphaOverride, request.MaxBytes);
        }
        catch (LoraAdapterException failure)
        {
            throw new LoraInspectionProblem(InvalidAdapter, Describe(failure, folder), failure.Key);
        }

        using (adapter)
        {
            try
            {
                served.Catalog.Validate(adapter);
            }
            catch (LoraAdapterException failure)
            {
                throw new LoraInspectionProblem(InvalidAdapter, $"{Describe(failure, folder)} (model {served.Model})", failure.Key);
            }

            var ranks = adapter.Layers.Values.Select(layer => layer.Rank).ToList();
            return new LoraContent
            {
                Digest = adapter.Digest,
                Format = adapter.Format.ToString().ToLowerInvariant(),
                Rank = ranks.Max(),
                MinRank = ranks.Min(),
                Alpha = adapter.Alpha,
                AlphaOverride = request.AlphaOverride,
                LayerCount = adapter.Layers.Count,
                Components = adapter.Components,
                TensorBytes = adapter.Bytes,
                Location = LoraObjectKeys.Content(request.Scope, adapter.Digest),
                Model = served.Model,
            };
        }
    }

    /// <summary>The reader names this silo's private copy; the client knows its files by their official names.</summary>
    private static string Describe(LoraAdapterException failure, string folder) =>
        failure.Message.Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(folder, "the adapter", StringComparison.Ordinal);

    private async Task<long> StoreAsync(string folder, string location, CancellationToken cancellationToken)
    {
        // Content is addressed by digest: equal digests mean equal tensors and alpha, so stored files are kept as they are.
        var existing = await store.ListAsync(location, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                await using var stream = File.OpenRead(file);
                await store.PutAsync(location + Path.GetFileName(file), stream, cancellationToken).ConfigureAwait(false);
            }

            existing = await store.ListAsync(location, cancellationToken).ConfigureAwait(false);
        }

        return existing.Sum(o => o.Size);
    }

    private async Task MaterializeAsync(LoraInspectionRequest request, string work, CancellationToken cancellationToken)
    {
        switch (request.SourceKind)
        {
            case LoraSourceKind.Upload:
                if (!request.Source.StartsWith(LoraObjectKeys.UploadRoot(request.Scope), StringComparison.Ordinal) || !ObjectKey.IsValid(request.Source.TrimEnd('/')))
                {
                    throw new ArgumentException($"'{request.Source}' is not an upload of scope {request.Scope}.", nameof(request));
                }

                var uploaded = await store.ListAsync(request.Source, cancellationToken).ConfigureAwait(false);
                await DownloadAsync(request, uploaded.Select(o => (o, Name: o.Key[request.Source.Length..])).ToList(), work, cancellationToken).ConfigureAwait(false);
                break;
            case LoraSourceKind.ObjectKey:
                await DownloadAsync(request, await ObjectReferenceAsync(request.Source, cancellationToken).ConfigureAwait(false), work, cancellationToken).ConfigureAwait(false);
                break;
            case LoraSourceKind.Path:
                CopyPathReference(request, work);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.SourceKind, "Unknown LoRA source kind.");
        }
    }

    /// <summary>The objects an allowed key or prefix names, with their official file names.</summary>
    private async Task<List<(StoredObject Object, string Name)>> ObjectReferenceAsync(string key, CancellationToken cancellationToken)
    {
        var allowed = options.Value.ObjectKeyPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal));
        if (!allowed || !ObjectKey.IsValid(key.TrimEnd('/')))
        {
            throw new LoraInspectionProblem(NotAllowed, $"Object key '{key}' is not under a prefix the operator allows for LoRA imports (Mova:Lora:ObjectKeyPrefixes).");
        }

        if (key.EndsWith('/'))
        {
            var listed = await store.ListAsync(key, cancellationToken).ConfigureAwait(false);
            var direct = listed.Where(o => !o.Key[key.Length..].Contains('/', StringComparison.Ordinal)).ToList();
            return direct.Count == 0
                ? throw new LoraInspectionProblem(NotFound, $"No objects under '{key}'.")
                : [.. direct.Select(o => (o, OfficialName(o.Key[key.Length..])))];
        }

        var name = OfficialName(key[(key.LastIndexOf('/') + 1)..]);
        var size = await store.GetSizeAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new LoraInspectionProblem(NotFound, $"No object '{key}'.");
        var found = new List<(StoredObject, string)> { (new StoredObject(key, size), name) };
        if (name == LoraObjectKeys.WeightsFile)
        {
            var config = key[..(key.LastIndexOf('/') + 1)] + LoraObjectKeys.ConfigFile;
            if (await store.GetSizeAsync(config, cancellationToken).ConfigureAwait(false) is { } configSize)
            {
                found.Add((new StoredObject(config, configSize), LoraObjectKeys.ConfigFile));
            }
        }

        return found;
    }

    private async Task DownloadAsync(LoraInspectionRequest request, List<(StoredObject Object, string Name)> files, string work, CancellationToken cancellationToken)
    {
        CheckFileSet(files.Select(f => f.Name).ToList());
        CheckSize(files.Sum(f => f.Object.Size), request.MaxBytes);
        foreach (var (stored, name) in files)
        {
            await using var target = new FileStream(Path.Combine(work, name), FileMode.CreateNew, FileAccess.ReadWrite);
            await store.DownloadAsync(stored.Key, target, cancellationToken).ConfigureAwait(false);
        }

        CheckSize(new DirectoryInfo(work).EnumerateFiles().Sum(f => f.Length), request.MaxBytes);
    }

    private void CopyPathReference(LoraInspectionRequest request, string work)
    {
        var real = ReferencePaths.ResolveUnder(request.Source, options.Value.ReferenceRoots)
            ?? throw new LoraInspectionProblem(NotAllowed, $"Path '{request.Source}' is not under a folder the operator allows for LoRA imports (Mova:Lora:ReferenceRoots).");
        List<FileInfo> files;
        if (Directory.Exists(real))
        {
            var children = new DirectoryInfo(real).EnumerateFiles().ToList();
            var weights = children.FirstOrDefault(f => f.Name == LoraObjectKeys.WeightsFile);
            files = weights is not null
                ? [.. children.Where(f => f.Name is LoraObjectKeys.WeightsFile or LoraObjectKeys.ConfigFile)]
                : [.. children.Where(f => f.Name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))];
            if (files.Count == 0)
            {
                throw new LoraInspectionProblem(InvalidAdapter, $"Folder '{request.Source}' holds neither {LoraObjectKeys.WeightsFile} nor a .safetensors file.");
            }
        }
        else if (File.Exists(real))
        {
            var file = new FileInfo(real);
            files = [file];
            var config = new FileInfo(Path.Combine(file.DirectoryName!, LoraObjectKeys.ConfigFile));
            if (file.Name == LoraObjectKeys.WeightsFile && config.Exists)
            {
                files.Add(config);
            }
        }
        else
        {
            throw new LoraInspectionProblem(NotFound, $"Path '{request.Source}' does not exist.");
        }

        var named = files.Select(f => (File: f, Name: OfficialName(f.Name))).ToList();
        CheckFileSet([.. named.Select(f => f.Name)]);
        CheckSize(files.Sum(f => f.Length), request.MaxBytes);
        foreach (var (file, name) in named)
        {
            file.CopyTo(Path.Combine(work, name));
        }

        CheckSize(new DirectoryInfo(work).EnumerateFiles().Sum(f => f.Length), request.MaxBytes);
    }

    /// <summary>The name a file is stored under: the official .pt names as they are, any .safetensors as <see cref="LoraObjectKeys.SafetensorsFile"/>.</summary>
    private static string OfficialName(string name) =>
        name is LoraObjectKeys.WeightsFile or LoraObjectKeys.ConfigFile ? name
        : name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? LoraObjectKeys.SafetensorsFile
        : throw new LoraInspectionProblem(InvalidAdapter, $"'{name}' is not an adapter file: send {LoraObjectKeys.WeightsFile} (with {LoraObjectKeys.ConfigFile}) or one .safetensors file.");

    private static void CheckFileSet(IReadOnlyList<string> names)
    {
        var valid = names.Count > 0 && names.Distinct(StringComparer.Ordinal).Count() == names.Count
            && (names.SequenceEqual([LoraObjectKeys.SafetensorsFile])
                || (names.Contains(LoraObjectKeys.WeightsFile) && names.All(n => n is LoraObjectKeys.WeightsFile or LoraObjectKeys.ConfigFile)));
        if (!valid)
        {
            throw new LoraInspectionProblem(InvalidAdapter,
                $"An adapter is {LoraObjectKeys.WeightsFile} (with an optional {LoraObjectKeys.ConfigFile}) or exactly one .safetensors file; got {(names.Count == 0 ? "no files" : string.Join(", ", names))}.");
        }
    }

    private static void CheckSize(long bytes, long maxBytes)
    {
        if (bytes > maxBytes)
        {
            throw new LoraInspectionProblem(TooLarge, $"The adapter's files are {bytes} bytes, more than the limit of {maxBytes}.");
        }
    }

    private async Task DeleteUploadAsync(string prefix, CancellationToken cancellationToken)
    {
        foreach (var uploaded in await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            await store.DeleteAsync(uploaded.Key, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 6411, Level = LogLevel.Information, Message = "Stored LoRA adapter {Digest} at {Location} ({Layers} layers, rank {Rank})")]
    private partial void LogStored(string digest, string location, int layers, int rank);

    [LoggerMessage(EventId = 6412, Level = LogLevel.Information, Message = "Refused a LoRA registration from {Kind}: {Code}: {Reason}")]
    private partial void LogRefused(LoraSourceKind kind, string code, string reason);
}
