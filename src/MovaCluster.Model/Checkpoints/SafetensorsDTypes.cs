using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>Maps safetensors dtype strings to TorchSharp element types and sizes.</summary>
public static class SafetensorsDTypes
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> Known = new(StringComparer.Ordinal)
    {
        ["F64"] = (torch.ScalarType.Float64, 8),
        ["F32"] = (torch.ScalarType.Float32, 4),
        ["F16"] = (torch.ScalarType.Float16, 2),
        ["BF16"] = (torch.ScalarType.BFloat16, 2),
        ["I64"] = (torch.ScalarType.Int64, 8),
        ["I32"] = (torch.ScalarType.Int32, 4),
        ["I16"] = (torch.ScalarType.Int16, 2),
        ["I8"] = (torch.ScalarType.Int8, 1),
        ["U8"] = (torch.ScalarType.Byte, 1),
        ["BOOL"] = (torch.ScalarType.Bool, 1),
    };

    /// <summary>True when the dtype string is one this reader understands.</summary>
    public static bool IsSupported(string dtype) => Known.ContainsKey(dtype);

    /// <summary>Element type for a safetensors dtype string.</summary>
    public static torch.ScalarType ToScalarType(string dtype) =>
        Known.TryGetValue(dtype, out var entry)
            ? entry.Type
            : throw new NotSupportedException($"Safetensors dtype '{dtype}' is not supported (supported: {string.Join(", ", Known.Keys)}).");

    /// <summary>Bytes per element for a safetensors dtype string.</summary>
    public static int ElementSize(string dtype) =>
        Known.TryGetValue(dtype, out var entry)
            ? entry.Size
            : throw new NotSupportedException($"Safetensors dtype '{dtype}' is not supported (supported: {string.Join(", ", Known.Keys)}).");

    /// <summary>True for floating-point element types (the ones a dtype policy may convert).</summary>
    public static bool IsFloatingPoint(torch.ScalarType type) =>
        type is torch.ScalarType.Float64 or torch.ScalarType.Float32 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16;
}
