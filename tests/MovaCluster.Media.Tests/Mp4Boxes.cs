using System.Buffers.Binary;
using System.Text;

namespace MovaCluster.Media.Tests;

/// <summary>Top-level ISO BMFF box names of a file, in order.</summary>
internal static class Mp4Boxes
{
    public static List<string> TopLevel(string path)
    {
        var names = new List<string>();
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[16];
        while (file.Position + 8 <= file.Length)
        {
            var start = file.Position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            names.Add(Encoding.ASCII.GetString(header.Slice(4, 4)));
            if (size == 1)
            {
                file.ReadExactly(header.Slice(8, 8));
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.Slice(8, 8));
            }
            else if (size == 0)
            {
                break;
            }

            file.Position = start + size;
        }

        return names;
    }
}
