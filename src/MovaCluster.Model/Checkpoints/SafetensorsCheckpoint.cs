using System.Text.Json;
using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>
/// All tensors of one component, whether stored as a single safetensors file or sharded through a
/// <c>*.safetensors.index.json</c> weight map. Files are memory-mapped and read tensor by tensor.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    private readonly IReadOnlyList<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _fileByKey;

    private SafetensorsCheckpoint(string source, IReadOnlyList<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileByKey)
    {
        Source = source;
        _files = files;
        _fileByKey = fileByKey;
    }

    /// <summary>The folder or file the checkpoint was opened from.</summary>
    public string Source { get; }

    /// <summary>Every tensor key, in ordinal order.</summary>
    public IReadOnlyList<string> Keys => [.. _fileByKey.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Paths of the safetensors files that make up the checkpoint.</summary>
    public IReadOnlyList<string> FilePaths => [.. _files.Select(f => f.Path)];

    /// <summary>
    /// Opens a component folder (an index json if present, else its single safetensors file), an index json,
    /// or a single safetensors file.
    /// </summary>
    public static SafetensorsCheckpoint Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            return OpenFolder(fullPath);
        }

        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Checkpoint '{fullPath}' does not exist.", fullPath);
        }

        return fullPath.EndsWith(".index.json", StringComparison.Ordinal) ? OpenIndex(fullPath) : OpenSingle(fullPath);
    }

    /// <summary>True when the checkpoint holds <paramref name="key"/>.</summary>
    public bool Contains(string key) => _fileByKey.ContainsKey(key);

    /// <summary>Header information of one tensor.</summary>
    public SafetensorsTensorInfo GetInfo(string key) => FileFor(key).Tensors[key];

    /// <summary>Copies one tensor into a new CPU tensor of its stored dtype.</summary>
    public torch.Tensor Read(string key) => FileFor(key).Read(key);

    /// <summary>Copies one tensor, converted to <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public torch.Tensor Read(string key, torch.ScalarType dtype, torch.Device device) => FileFor(key).Read(key, dtype, device);

    private SafetensorsFile FileFor(string key) =>
        _fileByKey.TryGetValue(key, out var file)
            ? file
            : throw new KeyNotFoundException($"Tensor '{key}' is not in checkpoint '{Source}'.");

    private static SafetensorsCheckpoint OpenFolder(string folder)
    {
        var indexes = Directory.GetFiles(folder, "*.safetensors.index.json");
        if (indexes.Length > 1)
        {
            throw new InvalidDataException(
                $"Checkpoint folder '{folder}' has several index files ({string.Join(", ", indexes.Select(Path.GetFileName))}); open one explicitly.");
        }

        if (indexes.Length == 1)
        {
            return OpenIndex(indexes[0]);
        }

        var singles = Directory.GetFiles(folder, "*.safetensors");
        return singles.Length switch
        {
            1 => OpenSingle(singles[0]),
            0 => throw new FileNotFoundException($"Checkpoint folder '{folder}' has no *.safetensors file and no *.safetensors.index.json."),
            _ => throw new InvalidDataException(
                $"Checkpoint folder '{folder}' has {singles.Length} safetensors files but no index json to say which keys live where."),
        };
    }

    private static SafetensorsCheckpoint OpenSingle(string file)
    {
        var opened = SafetensorsFile.Open(file);
        var byKey = opened.Tensors.Keys.ToDictionary(k => k, _ => opened, StringComparer.Ordinal);
        return new SafetensorsCheckpoint(file, [opened], byKey);
    }

    private static SafetensorsCheckpoint OpenIndex(string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var folder = Path.GetDirectoryName(indexPath)!;
        var files = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, fileName) in weightMap)
            {
                if (!files.TryGetValue(fileName, out var file))
                {
                    file = SafetensorsFile.Open(Path.Combine(folder, fileName));
                    files.Add(fileName, file);
                }

                if (!file.Contains(key))
                {
                    throw new InvalidDataException($"Index '{indexPath}' maps '{key}' to '{fileName}', which does not contain it.");
                }

                byKey.Add(key, file);
            }

            return new SafetensorsCheckpoint(indexPath, [.. files.Values], byKey);
        }
        catch
        {
            foreach (var file in files.Values)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Index '{indexPath}' has no 'weight_map' object.");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var fileName = entry.Value.GetString();
            if (string.IsNullOrEmpty(fileName) || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Index '{indexPath}' maps '{entry.Name}' to an invalid file name '{fileName}'.");
            }

            result[entry.Name] = fileName;
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }
}
