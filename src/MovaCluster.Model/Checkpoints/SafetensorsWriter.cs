using System.Buffers.Binary;

using System.Text.Json;
using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>Writes tensors as a safetensors file (used for sampler resume states and test fixtures).</summary>
public static class SafetensorsWriter
{
    private static readonly Dictionary<torch.ScalarType, string> Names = new()
    {
        [torch.ScalarType.Float64] = "F64",
        [torch.ScalarType.Float32] = "F32",
        [torch.ScalarType.Float16] = "F16",
        [torch.ScalarType.BFloat16] = "BF16",
        [torch.ScalarType.Int64] = "I64",
        [torch.ScalarType.Int32] = "I32",
        [torch.ScalarType.Int16] = "I16",
        [torch.ScalarType.Int8] = "I8",
        [torch.ScalarType.Byte] = "U8",
        [torch.ScalarType.Bool] = "BOOL",
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; copied to CPU one at a time) to <paramref name="path"/>, via a
    /// temporary file renamed into place so a crash never leaves a truncated file behind.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            if (!Names.TryGetValue(tensor.dtype, out var dtype))
            {
                throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot store.");
            }

            var length = tensor.numel() * tensor.ElementSize;
            header[name] = new { dtype, shape = tensor.shape, data_offsets = new[] { offset, offset + length } };
            offset += length;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var padding = (8 - json.Length % 8) % 8;
        var headerBytes = new byte[json.Length + padding];
        json.CopyTo(headerBytes, 0);
        headerBytes.AsSpan(json.Length).Fill((byte)' ');

        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> lengthBytes = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)headerBytes.Length);
                stream.Write(lengthBytes);
                stream.Write(headerBytes);
                foreach (var (_, tensor) in ordered)
                {
                    using var cpu = tensor.to(torch.CPU).contiguous();
                    stream.Write(cpu.bytes);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
