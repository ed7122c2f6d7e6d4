using System.Buffers.Binary;

namespace MovaCluster.Model.Text;

/// <summary>
/// SentencePiece's precompiled normalization map: a Darts-clone double-array trie over UTF-8 bytes whose values
/// point into a pool of NUL-terminated replacement strings. Lookup is longest-prefix match.
/// </summary>
public sealed class PrecompiledCharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _pool;

    public PrecompiledCharsMap(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4)
        {
            throw new InvalidDataException("Precompiled charsmap is shorter than its 4-byte header.");
        }

        int trieSize = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(blob));
        if (trieSize % 4 != 0 || trieSize > blob.Length - 4)
        {
            throw new InvalidDataException($"Precompiled charsmap trie size {trieSize} is invalid for a {blob.Length}-byte blob.");
        }

        _units = new uint[trieSize / 4];
        for (int i = 0; i < _units.Length; i++)
        {
            _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4 + (i * 4), 4));
        }

        _pool = blob[(4 + trieSize)..].ToArray();
    }

    /// <summary>
    /// Longest prefix of <paramref name="input"/> present in the map: its byte length and replacement
    /// (length 0 when nothing matches).
    /// </summary>
    public (int Length, ReadOnlyMemory<byte> Replacement) LongestPrefix(ReadOnlySpan<byte> input)
    {
        if (_units.Length == 0)
        {
            return (0, ReadOnlyMemory<byte>.Empty);
        }

        int bestLength = 0;
        int bestValue = 0;
        uint node = 0;
        uint unit = _units[0];
        node ^= Offset(unit);
        for (int i = 0; i < input.Length; i++)
        {
            byte label = input[i];
            node ^= label;
            if (node >= _units.Length)
            {
                break;
            }

            unit = _units[node];
            if (Label(unit) != label)
            {
                break;
            }

            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                bestLength = i + 1;
                bestValue = (int)(_units[node] & 0x7FFFFFFFu);
            }
        }

        if (bestLength == 0)
        {
            return (0, ReadOnlyMemory<byte>.Empty);
        }

        int end = Array.IndexOf(_pool, (byte)0, bestValue);
        if (end < 0)
        {
            end = _pool.Length;
        }

        return (bestLength, new ReadOnlyMemory<byte>(_pool, bestValue, end - bestValue));
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static uint Label(uint unit) => unit & (0x80000000u | 0xFFu);

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
