using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MovaCluster.Api.Tests.Infrastructure;

/// <summary>
/// PNG files written chunk by chunk, rows streamed through zlib, so a test can hold a 9000x9000 image of a few
/// hundred kilobytes without ever having its pixels in memory (an image library would need the whole bitmap).
/// </summary>
public static class TestPngs
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A valid RGB PNG of one colour.</summary>
    public static byte[] Solid(int width, int height, byte red = 90, byte green = 140, byte blue = 200)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width * 3)];
            for (var x = 0; x < width; x++)
            {
                row[1 + (x * 3)] = red;
                row[2 + (x * 3)] = green;
                row[3 + (x * 3)] = blue;
            }

            for (var y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }

        return Png(width, height, compressed.ToArray());
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> x <paramref name="height"/> but whose data holds one row.</summary>
    public static byte[] HeaderClaiming(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(new byte[1 + 3]);
        }

        return Png(width, height, compressed.ToArray());
    }

    private static byte[] Png(int width, int height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc(typed));
        png.Write(number);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), written out: the BCL has no CRC-32 outside a separate package.</summary>
    private static uint Crc(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in bytes)
        {
            crc = CrcTable[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
