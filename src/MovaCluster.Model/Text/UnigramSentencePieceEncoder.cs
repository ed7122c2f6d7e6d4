using System.Globalization;

namespace MovaCluster.Model.Text;

/// <summary>
/// SentencePiece Unigram encoding: normalization, Viterbi over the normalized UTF-8 text (ties keep the first best
/// path, scores summed in float32 as the C++ library does), then unknown characters either as one fused
/// <c>&lt;unk&gt;</c> per run or, with byte fallback, as <c>&lt;0xNN&gt;</c> byte pieces.
/// </summary>
public sealed class UnigramSentencePieceEncoder
{
    private const float UnknownPenalty = 10f;

    private readonly Dictionary<string, int> _pieceIds = new(StringComparer.Ordinal);
    private readonly float[] _scores;
    private readonly int[] _byteIds = new int[256];
    private readonly int _maxPieceBytes;
    private readonly float _unknownScore;
    private readonly SentencePieceNormalizer _normalizer;

    public UnigramSentencePieceEncoder(SentencePieceModelProto model, bool byteFallback)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.ModelType != 1)
        {
            throw new NotSupportedException($"Only SentencePiece Unigram models are supported (model_type {model.ModelType}).");
        }

        _normalizer = new SentencePieceNormalizer(model);
        _scores = new float[model.Pieces.Count];
        Array.Fill(_byteIds, -1);
        float minScore = float.MaxValue;
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            _scores[id] = piece.Score;
            switch (piece.Type)
            {
                case SentencePieceType.Normal:
                    minScore = Math.Min(minScore, piece.Score);
                    AddPiece(piece.Piece, id);
                    break;
                case SentencePieceType.UserDefined:
                    throw new NotSupportedException($"User-defined piece '{piece.Piece}' is not supported by this encoder.");
                case SentencePieceType.Byte:
                    _byteIds[ParseBytePiece(piece.Piece)] = id;
                    break;
                default:
                    break;
            }
        }

        _unknownScore = (minScore == float.MaxValue ? 0f : minScore) - UnknownPenalty;
        UnknownId = model.UnknownId;
        EosId = model.EosId;
        PadId = model.PadId;
        VocabularySize = model.Pieces.Count;
        ByteFallback = byteFallback;
        if (byteFallback && Array.IndexOf(_byteIds, -1) >= 0)
        {
            throw new InvalidDataException("Byte fallback requested but the model lacks some of the 256 <0xNN> byte pieces.");
        }

        _maxPieceBytes = _pieceIds.Keys.Select(k => k.Length).DefaultIfEmpty(1).Max();
    }

    public int UnknownId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int VocabularySize { get; }

    public bool ByteFallback { get; }

    /// <summary>Token ids of <paramref name="text"/> (no special tokens added).</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        byte[] normalized = _normalizer.Normalize(text);
        string key = Latin1(normalized);
        int n = normalized.Length;

        var bestScore = new float[n + 1];
        var bestStart = new int[n + 1];
        var bestId = new int[n + 1];
        Array.Fill(bestStart, -1);
        bestStart[0] = 0;

        int start = 0;
        while (start < n)
        {
            int charLength = Math.Min(SentencePieceNormalizer.OneCharLength(normalized[start]), n - start);
            float here = bestScore[start];
            bool hasSingleCharPiece = false;
            int limit = Math.Min(_maxPieceBytes, n - start);
            for (int length = 1; length <= limit; length++)
            {
                if (!_pieceIds.TryGetValue(key.Substring(start, length), out int id))
                {
                    continue;
                }

                int end = start + length;
                float candidate = _scores[id] + here;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = id;
                }

                if (length == charLength)
                {
                    hasSingleCharPiece = true;
                }
            }

            if (!hasSingleCharPiece)
            {
                int end = start + charLength;
                float candidate = _unknownScore + here;
                if (bestStart[end] == -1 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = UnknownId;
                }
            }

            start += charLength;
        }

        var path = new List<(int Start, int End, int Id)>();
        for (int end = n; end > 0; end = bestStart[end])
        {
            path.Add((bestStart[end], end, bestId[end]));
        }

        path.Reverse();
        return EmitIds(normalized, path);
    }

    private List<int> EmitIds(byte[] normalized, List<(int Start, int End, int Id)> path)
    {
        var ids = new List<int>(path.Count);
        bool previousUnknown = false;
        foreach (var (start, end, id) in path)
        {
            bool unknown = id == UnknownId;
            if (unknown && ByteFallback)
            {
                for (int i = start; i < end; i++)
                {
                    ids.Add(_byteIds[normalized[i]]);
                }
            }
            else if (!(unknown && previousUnknown))
            {
                ids.Add(id);
            }

            previousUnknown = unknown;
        }

        return ids;
    }

    private void AddPiece(string piece, int id)
    {
        string key = Latin1(System.Text.Encoding.UTF8.GetBytes(piece));
        _pieceIds.TryAdd(key, id);
    }

    private static string Latin1(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    private static int ParseBytePiece(string piece)
    {
        if (piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && int.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        throw new InvalidDataException($"Byte piece '{piece}' is not of the form <0xNN>.");
    }
}
