using TorchSharp;
using static TorchSharp.torch;

namespace MovaCluster.Model.Text;

/// <summary>
/// MOVA's prompt → embedding path: clean + tokenize to the window, UMT5, rows past the prompt zeroed; results cached
/// by content hash of (encoder identity, window, prompt). The negative prompt is pinned so it is encoded once.
/// </summary>
public sealed class PromptEncoder
{
    private readonly Umt5PromptTokenizer _tokenizer;
    private readonly Umt5EncoderModel _encoder;
    private readonly TextEmbeddingCache _cache;

    /// <param name="tokenizer">Tokenizer of the checkpoint.</param>
    /// <param name="encoder">Loaded text encoder.</param>
    /// <param name="cache">Shared embedding cache.</param>
    /// <param name="encoderIdentity">What distinguishes this encoder's weights (e.g. checkpoint path and revision plus dtype).</param>
    /// <param name="maxSequenceLength">Token window (MOVA: 512).</param>
    public PromptEncoder(Umt5PromptTokenizer tokenizer, Umt5EncoderModel encoder, TextEmbeddingCache cache, string encoderIdentity, int maxSequenceLength = 512)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderIdentity);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequenceLength, 1);
        EncoderIdentity = $"{encoderIdentity}|{encoder.DType}";
        MaxSequenceLength = maxSequenceLength;
    }

    public string EncoderIdentity { get; }

    public int MaxSequenceLength { get; }

    /// <summary>Prompt embeddings [1, window, d_model] on <paramref name="device"/> (caller owns the tensor).</summary>
    public Tensor Encode(string prompt, Device device, bool isNegativePrompt = false)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var key = TextEmbeddingKey.For(EncoderIdentity, MaxSequenceLength, prompt);
        return _cache.GetOrAdd(key, () => EncodeUncached(prompt), device, pin: isNegativePrompt);
    }

    private Tensor EncodeUncached(string prompt)
    {
        var tokens = _tokenizer.Tokenize(prompt, MaxSequenceLength);
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(tokens.InputIds, dtype: ScalarType.Int64).unsqueeze(0);
        var mask = torch.tensor(tokens.AttentionMask, dtype: ScalarType.Int64).unsqueeze(0);
        return _encoder.EncodePromptEmbeddings(ids, mask).MoveToOuterDisposeScope();
    }
}
