using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>
/// A memory-mapped safetensors file. Tensor bytes are never read into managed arrays: each read copies one
/// tensor straight from the mapping into native tensor storage, so multi-GB shards cost only page cache.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    // The bytes setter takes a Span (int length); larger tensors are copied in row blocks below this size.
    private const long DefaultCopyChunkBytes = 1L << 30;

    private readonly MemoryMappedFile _mapping;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataStart;
    private bool _disposed;

    private SafetensorsFile(
        string path,
        MemoryMappedFile mapping,
        MemoryMappedViewAccessor view,
        long dataStart,
        IReadOnlyDictionary<string, SafetensorsTensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _mapping = mapping;
        _view = view;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>Header entries by key.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The optional <c>__metadata__</c> string map of the header.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a safetensors file, mapping it read-only.</summary>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Safetensors file '{fullPath}' does not exist.", fullPath);
        }

        var fileLength = new FileInfo(fullPath).Length;
        var (dataStart, tensors, metadata) = ReadHeader(fullPath, fileLength);
        var mapping = MemoryMappedFile.CreateFromFile(fullPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafetensorsFile(fullPath, mapping, view, dataStart, tensors, metadata);
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => Tensors.ContainsKey(name);

    /// <summary>Copies one tensor into a new CPU tensor of its stored dtype.</summary>
    public torch.Tensor Read(string name) => Read(name, DefaultCopyChunkBytes);

    /// <summary>Copies one tensor and converts it to <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public torch.Tensor Read(string name, torch.ScalarType dtype, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var stored = Read(name);
        if (stored.dtype == dtype && stored.device.type == device.type && stored.device.index == device.index)
        {
            return stored;
        }

        using (stored)
        {
            return stored.to(dtype, device);
        }
    }

    internal torch.Tensor Read(string name, long copyChunkBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Tensors.TryGetValue(name, out var info))
        {
            throw new KeyNotFoundException($"Tensor '{name}' is not in '{Path}'.");
        }

        var tensor = torch.empty(info.Shape, info.ScalarType, torch.CPU);
        try
        {
            CopyInto(tensor, _base + _dataStart + info.DataStart, info.ByteLength, copyChunkBytes);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void CopyInto(torch.Tensor target, byte* source, long length, long chunkBytes)
    {
        if (length == 0)
        {
            return;
        }

        if (length <= chunkBytes)
        {
            target.bytes = new Span<byte>(source, checked((int)length));
            return;
        }

        var rows = target.shape[0];
        var rowBytes = length / rows;
        if (rowBytes > chunkBytes)
        {
            throw new NotSupportedException($"A single row of {rowBytes} bytes exceeds the copy block of {chunkBytes} bytes.");
        }

        var rowsPerChunk = Math.Max(1, chunkBytes / rowBytes);
        for (long row = 0; row < rows; row += rowsPerChunk)
        {
            var count = Math.Min(rowsPerChunk, rows - row);
            using var block = target.narrow(0, row, count);
            block.bytes = new Span<byte>(source + row * rowBytes, checked((int)(count * rowBytes)));
        }
    }

    private static (long DataStart, Dictionary<string, SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata)
        ReadHeader(string path, long fileLength)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || stream.Read(lengthBytes) != 8)
        {
            throw new InvalidDataException($"'{path}' is not a safetensors file: shorter than its 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
        {
            throw new InvalidDataException($"'{path}' has an invalid safetensors header length {headerLength} (file size {fileLength}).");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = ParseJson(header, path);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var entry in property.Value.EnumerateObject())
                {
                    metadata[entry.Name] = entry.Value.GetString() ?? string.Empty;
                }

                continue;
            }

            tensors.Add(property.Name, ParseEntry(property, path, dataLength));
        }

        return (dataStart, tensors, metadata);
    }

    private static JsonDocument ParseJson(byte[] header, string path)
    {
        try
        {
            return JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' has a malformed safetensors JSON header: {ex.Message}", ex);
        }
    }

    private static SafetensorsTensorInfo ParseEntry(JsonProperty property, string path, long dataLength)
    {
        var value = property.Value;
        if (!value.TryGetProperty("dtype", out var dtypeElement) ||
            !value.TryGetProperty("shape", out var shapeElement) ||
            !value.TryGetProperty("data_offsets", out var offsetsElement))
        {
            throw new InvalidDataException($"'{path}': entry '{property.Name}' lacks dtype, shape or data_offsets.");
        }

        var dtype = dtypeElement.GetString() ?? string.Empty;
        if (!SafetensorsDTypes.IsSupported(dtype))
        {
            throw new InvalidDataException($"'{path}': entry '{property.Name}' has unsupported dtype '{dtype}'.");
        }

        var shape = shapeElement.EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = offsetsElement.EnumerateArray().Select(e => e.GetInt64()).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength || shape.Any(d => d < 0))
        {
            throw new InvalidDataException(
                $"'{path}': entry '{property.Name}' has invalid data_offsets [{string.Join(", ", offsets)}] " +
                $"or shape [{string.Join(", ", shape)}] (data section is {dataLength} bytes).");
        }

        var info = new SafetensorsTensorInfo(property.Name, dtype, shape, offsets[0], offsets[1]);
        var expected = info.ElementCount * SafetensorsDTypes.ElementSize(dtype);
        if (expected != info.ByteLength)
        {
            throw new InvalidDataException(
                $"'{path}': entry '{property.Name}' spans {info.ByteLength} bytes but {dtype}[{string.Join(", ", shape)}] needs {expected}.");
        }

        return info;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping.Dispose();
    }
}
