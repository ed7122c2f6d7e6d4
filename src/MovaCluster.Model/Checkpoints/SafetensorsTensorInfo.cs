using TorchSharp;

namespace MovaCluster.Model.Checkpoints;

/// <summary>One tensor entry of a safetensors header: where its bytes live inside the file's data section.</summary>
/// <param name="Name">State-dict key.</param>
/// <param name="DType">Safetensors dtype string (F32, F16, BF16, F64, I64, ...).</param>
/// <param name="Shape">Tensor shape (empty for a scalar).</param>
/// <param name="DataStart">Byte offset of the first byte, relative to the start of the data section.</param>
/// <param name="DataEnd">Byte offset one past the last byte, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long DataStart, long DataEnd)
{
    /// <summary>Number of bytes the tensor occupies.</summary>
    public long ByteLength => DataEnd - DataStart;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (acc, d) => acc * d);

    /// <summary>The TorchSharp element type this entry is read as.</summary>
    public torch.ScalarType ScalarType => SafetensorsDTypes.ToScalarType(DType);
}
