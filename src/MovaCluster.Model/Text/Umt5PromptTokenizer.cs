using System.Text.Json;

namespace MovaCluster.Model.Text;

/// <summary>
/// MOVA's text front end: <see cref="PromptCleaner"/>, SentencePiece Unigram ids, <c>&lt;/s&gt;</c> appended,
/// truncated to the window (the last slot keeps <c>&lt;/s&gt;</c>) and right-padded with the pad id.
/// </summary>
public sealed class Umt5PromptTokenizer
{
    private readonly UnigramSentencePieceEncoder _encoder;
    private readonly PromptCleaner _cleaner;
    private readonly SpecialTokenMatcher? _specialTokens;

    /// <param name="encoder">SentencePiece encoder.</param>
    /// <param name="cleaner">MOVA prompt cleaning.</param>
    /// <param name="specialTokens">
    /// When set, special-token strings in the prompt become their ids as T5TokenizerFast does (MOVA's tokenizer);
    /// when null, the prompt is plain SentencePiece text.
    /// </param>
    public Umt5PromptTokenizer(UnigramSentencePieceEncoder encoder, PromptCleaner cleaner, SpecialTokenMatcher? specialTokens = null)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _cleaner = cleaner ?? throw new ArgumentNullException(nameof(cleaner));
        _specialTokens = specialTokens;
    }

    public UnigramSentencePieceEncoder Encoder => _encoder;

    public PromptCleaner Cleaner => _cleaner;

    /// <summary>
    /// Loads <c>spiece.model</c> from a checkpoint's tokenizer folder. With <paramref name="matchSpecialTokens"/>
    /// (default, as T5TokenizerFast) the special tokens come from tokenizer.json's added_tokens, else from the model.
    /// </summary>
    public static Umt5PromptTokenizer FromFolder(
        string folder, ByteFallbackMode byteFallback = ByteFallbackMode.FromTokenizerFiles, bool applyFtfyRepairs = true,
        bool matchSpecialTokens = true)
    {
        string modelPath = Path.Combine(folder, "spiece.model");
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Tokenizer folder '{folder}' has no spiece.model.", modelPath);
        }

        var model = SentencePieceModelProto.Load(modelPath);
        bool fallback = byteFallback switch
        {
            ByteFallbackMode.Enabled => true,
            ByteFallbackMode.Disabled => false,
            _ => ReadTokenizerJsonByteFallback(Path.Combine(folder, "tokenizer.json")) ?? model.ByteFallback,
        };
        var special = matchSpecialTokens
            ? SpecialTokenMatcher.FromTokenizerJson(Path.Combine(folder, "tokenizer.json")) ?? SpecialTokenMatcher.FromModel(model)
            : null;
        return new Umt5PromptTokenizer(new UnigramSentencePieceEncoder(model, fallback), new PromptCleaner(applyFtfyRepairs), special);
    }

    /// <summary>Cleans, tokenizes and fits <paramref name="prompt"/> to <paramref name="maxLength"/> slots.</summary>
    public TokenizedPrompt Tokenize(string prompt, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return Fit(EncodeText(_cleaner.Clean(prompt)), maxLength);
    }

    /// <summary>Tokenizes text that is already cleaned.</summary>
    public TokenizedPrompt TokenizeCleaned(string cleaned, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return Fit(EncodeText(cleaned), maxLength);
    }

    private IReadOnlyList<int> EncodeText(string text)
    {
        if (_specialTokens is null)
        {
            return _encoder.Encode(text);
        }

        var ids = new List<int>();
        foreach (var (segment, id) in _specialTokens.Split(text))
        {
            if (id is { } special)
            {
                ids.Add(special);
            }
            else
            {
                ids.AddRange(_encoder.Encode(segment!));
            }
        }

        return ids;
    }

    private TokenizedPrompt Fit(IReadOnlyList<int> ids, int maxLength)
    {
        int kept = Math.Min(ids.Count, maxLength - 1);
        var inputIds = new long[maxLength];
        var mask = new long[maxLength];
        if (_encoder.PadId != 0)
        {
            Array.Fill(inputIds, Math.Max(_encoder.PadId, 0));
        }

        for (int i = 0; i < kept; i++)
        {
            inputIds[i] = ids[i];
            mask[i] = 1;
        }

        inputIds[kept] = _encoder.EosId;
        mask[kept] = 1;
        return new TokenizedPrompt(inputIds, mask, kept + 1);
    }

    private static bool? ReadTokenizerJsonByteFallback(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.TryGetProperty("model", out var model)
            && model.TryGetProperty("byte_fallback", out var flag)
            && flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return flag.GetBoolean();
        }

        return null;
    }
}
