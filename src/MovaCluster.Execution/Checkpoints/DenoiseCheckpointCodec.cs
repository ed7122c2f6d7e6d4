using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MovaCluster.Execution.Checkpoints;

/// <summary>
/// Binary form of a <see cref="DenoiseCheckpoint"/> (little-endian; the fp32 bits are kept exactly). Version 2 adds the
/// cache state (length, -1 for none, then bytes) and the LoRA mode byte; version 1 checkpoints still read (uncached,
/// unmerged).
/// </summary>
public static class DenoiseCheckpointCodec
{
    private const uint Magic = 0x4B43564D; // "MVCK"
    private const int Version = 2;

    public static byte[] Encode(DenoiseCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(checkpoint.CompletedSteps);
            WriteBuffer(writer, checkpoint.Video);
            WriteBuffer(writer, checkpoint.Audio);
            writer.Write(checkpoint.CacheState?.Length ?? -1);
            if (checkpoint.CacheState is { } cache)
            {
                writer.Write(cache);
            }
            writer.Write(checkpoint.LoraMerged);
        }

        return stream.ToArray();
    }

    public static DenoiseCheckpoint Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.UInt32() != Magic)
        {
            throw new InvalidDataException("Not a denoise checkpoint: the magic number does not match.");
        }

        var version = reader.Int32();
        if (version is not (1 or Version))
        {
            throw new InvalidDataException($"Denoise checkpoint version {version} is not supported (expected {Version}).");
        }

        var steps = reader.Int32();
        var video = ReadBuffer(ref reader);
        var audio = ReadBuffer(ref reader);
        var cacheLength = version >= 2 ? reader.Int32() : -1;
        var cacheState = cacheLength < 0 ? null : reader.Bytes(cacheLength).ToArray();
        var loraMerged = version >= 2 && reader.Bytes(1)[0] != 0;
        return new DenoiseCheckpoint(steps, video, audio, loraMerged) { CacheState = cacheState };
    }

    private static void WriteBuffer(BinaryWriter writer, LatentBuffer buffer)
    {
        if (buffer.ElementCount != buffer.Values.Length)
        {
            throw new ArgumentException(
                $"Latent shape [{string.Join(", ", buffer.Shape)}] holds {buffer.ElementCount} values but {buffer.Values.Length} were given.");
        }

        writer.Write(buffer.Shape.Length);
        foreach (var size in buffer.Shape)
        {
            writer.Write(size);
        }

        writer.Write(MemoryMarshal.AsBytes(buffer.Values.AsSpan()));
    }

    private static LatentBuffer ReadBuffer(ref SpanReader reader)
    {
        var rank = reader.Int32();
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = reader.Int64();
        }

        var count = shape.Aggregate(1L, (product, size) => product * size);
        var values = new float[count];
        reader.Bytes(checked((int)count * sizeof(float))).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return new LatentBuffer(shape, values);
    }

    private ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _offset;

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (_offset + count > _bytes.Length)
            {
                throw new InvalidDataException("Denoise checkpoint is truncated.");
            }

            var slice = _bytes.Slice(_offset, count);
            _offset += count;
            return slice;
        }
    }
}
