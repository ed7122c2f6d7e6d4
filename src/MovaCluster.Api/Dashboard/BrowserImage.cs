using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MovaCluster.Api.Dashboard;

/// <summary>
/// Makes preview images displayable in a browser: JPEG, PNG and WebP pass through; 8-bit binary greymaps (Netpbm
/// P5, what the simulated executor renders) become grey PNGs. Anything else is refused rather than sent broken.
/// </summary>
public static class BrowserImage
{
    private static readonly HashSet<string> Displayable = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/webp", "image/gif" };
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The image as a browser can show it, or null when its format is not supported.</summary>
    public static (byte[] Body, string ContentType)? ForBrowser(byte[] image, string contentType)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Displayable.Contains(contentType))
        {
            return (image, contentType);
        }

        return TryReadGreymap(image, out var width, out var height, out var pixels) ? (GreyPng(width, height, pixels), "image/png") : null;
    }

    private static bool TryReadGreymap(byte[] image, out int width, out int height, out ReadOnlyMemory<byte> pixels)
    {
        width = height = 0;
        pixels = default;
        var fields = new List<string>(4);
        var position = 0;
        while (fields.Count < 4 && position < image.Length)
        {
            while (position < image.Length && char.IsWhiteSpace((char)image[position]))
            {
                position++;
            }

            if (position < image.Length && image[position] == '#')
            {
                while (position < image.Length && image[position] != '\n')
                {
                    position++;
                }

                continue;
            }

            var start = position;
            while (position < image.Length && !char.IsWhiteSpace((char)image[position]))
            {
                position++;
            }

            fields.Add(Encoding.ASCII.GetString(image, start, position - start));
        }

        position++; // the single whitespace byte before the raster
        if (fields is not ["P5", var w, var h, "255"] || !int.TryParse(w, out width) || !int.TryParse(h, out height)
            || width <= 0 || height <= 0 || (long)width * height > image.Length - position)
        {
            return false;
        }

        pixels = image.AsMemory(position, width * height);
        return true;
    }

    private static byte[] GreyPng(int width, int height, ReadOnlyMemory<byte> pixels)
    {
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var row = 0; row < height; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(pixels.Span.Slice(row * width, width));
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per sample
        header[9] = 0; // colour type: greyscale
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc32(uint crc, byte[] data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
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
