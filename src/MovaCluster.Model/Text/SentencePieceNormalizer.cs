namespace MovaCluster.Model.Text;

/// <summary>
/// SentencePiece's text normalizer: the precompiled character map (nmt_nfkc for UMT5), leading/trailing and
/// repeated space removal, the dummy "▁" prefix and space escaping. Works on UTF-8 bytes as the C++ library does.
/// </summary>
public sealed class SentencePieceNormalizer
{
    private static readonly byte[] SpaceSymbol = "\u2581"u8.ToArray();
    private static readonly byte[] ReplacementCharacter = "\uFFFD"u8.ToArray();

    private readonly PrecompiledCharsMap? _charsMap;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _escapeWhitespaces;
    private readonly bool _treatWhitespaceAsSuffix;

    public SentencePieceNormalizer(SentencePieceModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _charsMap = model.PrecompiledCharsMap.Length > 0 ? new PrecompiledCharsMap(model.PrecompiledCharsMap) : null;
        _addDummyPrefix = model.AddDummyPrefix;
        _removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        _escapeWhitespaces = model.EscapeWhitespaces;
        _treatWhitespaceAsSuffix = model.TreatWhitespaceAsSuffix;
    }

    /// <summary>Normalizes text; the result is UTF-8 with spaces escaped as "▁" when the model says so.</summary>
    public byte[] Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<byte> input = System.Text.Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(input.Length + 8);

        if (_removeExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                var (consumed, replacement) = NormalizePrefix(input);
                if (!(replacement.Length == 1 && replacement.Span[0] == (byte)' '))
                {
                    break;
                }

                input = input[consumed..];
            }
        }

        if (input.IsEmpty)
        {
            return [];
        }

        byte[] space = _escapeWhitespaces ? SpaceSymbol : [(byte)' '];
        if (_addDummyPrefix && !_treatWhitespaceAsSuffix)
        {
            output.AddRange(space);
        }

        bool previousIsSpace = _removeExtraWhitespaces;
        while (!input.IsEmpty)
        {
            var (consumed, replacement) = NormalizePrefix(input);
            ReadOnlySpan<byte> piece = replacement.Span;
            if (previousIsSpace)
            {
                while (!piece.IsEmpty && piece[0] == (byte)' ')
                {
                    piece = piece[1..];
                }
            }

            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (_escapeWhitespaces && b == (byte)' ')
                    {
                        output.AddRange(SpaceSymbol);
                    }
                    else
                    {
                        output.Add(b);
                    }
                }

                previousIsSpace = piece[^1] == (byte)' ';
            }

            input = input[consumed..];
            if (!_removeExtraWhitespaces)
            {
                previousIsSpace = false;
            }
        }

        if (_addDummyPrefix && _treatWhitespaceAsSuffix)
        {
            output.AddRange(space);
        }

        if (_removeExtraWhitespaces)
        {
            while (EndsWith(output, space))
            {
                output.RemoveRange(output.Count - space.Length, space.Length);
            }
        }

        return [.. output];
    }

    /// <summary>UTF-8 length of the character starting with <paramref name="lead"/> (SentencePiece's table).</summary>
    internal static int OneCharLength(byte lead) => (lead >> 4) switch
    {
        < 0xC => 1,
        0xC or 0xD => 2,
        0xE => 3,
        _ => 4,
    };

    private static bool EndsWith(List<byte> data, byte[] suffix)
    {
        if (data.Count < suffix.Length)
        {
            return false;
        }

        for (int i = 0; i < suffix.Length; i++)
        {
            if (data[data.Count - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    private (int Consumed, ReadOnlyMemory<byte> Replacement) NormalizePrefix(ReadOnlySpan<byte> input)
    {
        if (_charsMap is not null)
        {
            var (length, replacement) = _charsMap.LongestPrefix(input);
            if (length > 0)
            {
                return (length, replacement);
            }
        }

        int charLength = Math.Min(OneCharLength(input[0]), input.Length);
        if (!IsValidUtf8(input[..charLength]))
        {
            return (1, ReplacementCharacter);
        }

        return (charLength, input[..charLength].ToArray());
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) && (bytes.Length == 1 || bytes[0] >= 0xC2);
}
