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

    public Umt5PromptTokenizer(UnigramSentencePieceEncoder encoder, PromptCleaner cleaner)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _cleaner = cleaner ?? throw new ArgumentNullException(nameof(cleaner));
    }

    public UnigramSentencePieceEncoder Encoder => _encoder;

    public PromptCleaner Cleaner => _cleaner;

    /// <summary>Loads <c>spiece.model</c> from a checkpoint's tokenizer folder.</summary>
    public static Umt5PromptTokenizer FromFolder(
        string folder, ByteFallbackMode byteFallback = ByteFallbackMode.FromTokenizerFiles, bool applyFtfyRepairs = true)
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
        return new Umt5PromptTokenizer(new UnigramSentencePieceEncoder(model, fallback), new PromptCleaner(applyFtfyRepairs));
    }

    /// <summary>Cleans, tokenizes and fits <paramref name="prompt"/> to <paramref name="maxLength"/> slots.</summary>
    public TokenizedPrompt Tokenize(string prompt, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return Fit(_encoder.Encode(_cleaner.Clean(prompt)), maxLength);
    }

    /// <summary>Tokenizes text that is already cleaned.</summary>
    public TokenizedPrompt TokenizeCleaned(string cleaned, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return Fit(_encoder.Encode(cleaned), maxLength);
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
