using System.Buffers.Binary;

namespace MovaCluster.Model.Text;

/// <summary>The protobuf wire-format writes a SentencePiece model file needs (the counterpart of <see cref="ProtobufReader"/>).</summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public void WriteVarintField(int field, long value)
    {
        WriteTag(field, 0);
        WriteVarint(unchecked((ulong)value));
    }

    public void WriteFloatField(int field, float value)
    {
        WriteTag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteStringField(int field, string value) => WriteBytesField(field, System.Text.Encoding.UTF8.GetBytes(value));

    public void WriteBytesField(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
