using System.Text.Json;

namespace MovaCluster.Model.Text;

/// <summary>
/// What T5TokenizerFast does before normalization: special tokens written in the prompt (<c>&lt;/s&gt;</c>,
/// <c>&lt;pad&gt;</c>, <c>&lt;unk&gt;</c>, <c>&lt;extra_id_N&gt;</c>, ...) are matched in the raw text, leftmost-longest, and
/// become their ids; the text between them is tokenized segment by segment. SentencePiece itself treats them as text.
/// </summary>
public sealed class SpecialTokenMatcher
{
    private readonly Dictionary<string, int> _tokens;
    private readonly int _longest;

    public SpecialTokenMatcher(IReadOnlyDictionary<string, int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = new Dictionary<string, int>(tokens.Where(t => t.Key.Length > 0), StringComparer.Ordinal);
        _longest = _tokens.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
    }

    public IReadOnlyDictionary<string, int> Tokens => _tokens;

    /// <summary>The special tokens of a SentencePiece model: its control and unknown pieces.</summary>
    public static SpecialTokenMatcher FromModel(SentencePieceModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            if (model.Pieces[id].Type is SentencePieceType.Control or SentencePieceType.Unknown)
            {
                tokens.TryAdd(model.Pieces[id].Piece, id);
            }
        }

        return new SpecialTokenMatcher(tokens);
    }

    /// <summary>The <c>added_tokens</c> marked special in a tokenizer.json, or null when the file does not exist.</summary>
    public static SpecialTokenMatcher? FromTokenizerJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True)
                {
                    tokens[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
                }
            }
        }

        return new SpecialTokenMatcher(tokens);
    }

    /// <summary>Splits text into plain segments (Id null) and matched special tokens (Text null).</summary>
    public IReadOnlyList<(string? Text, int? Id)> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<(string? Text, int? Id)>();
        int segmentStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            int matchLength = 0;
            int matchId = 0;
            if (_longest > 0 && text[i] == '<')
            {
                for (int length = Math.Min(_longest, text.Length - i); length > 0; length--)
                {
                    if (_tokens.TryGetValue(text.Substring(i, length), out int id))
                    {
                        (matchLength, matchId) = (length, id);
                        break;
                    }
                }
            }

            if (matchLength == 0)
            {
                i++;
                continue;
            }

            if (i > segmentStart)
            {
                parts.Add((text[segmentStart..i], null));
            }

            parts.Add((null, matchId));
            i += matchLength;
            segmentStart = i;
        }

        if (segmentStart < text.Length)
        {
            parts.Add((text[segmentStart..], null));
        }

        return parts;
    }
}
