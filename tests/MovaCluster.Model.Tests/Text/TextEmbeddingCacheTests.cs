using Microsoft.Extensions.Options;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Model.Tests.Text;

public sealed class TextEmbeddingCacheTests
{
    private static TextEmbeddingCache Cache(int maxEntries = 64, long maxBytes = 1 << 20) =>
        new(Options.Create(new TextEmbeddingCacheOptions { MaxEntries = maxEntries, MaxBytes = maxBytes }));

    private static TextEmbeddingKey Key(string prompt, int length = 16, string encoder = "umt5@a") =>
        TextEmbeddingKey.For(encoder, length, prompt);

    [Fact]
    public void Key_depends_on_encoder_length_and_prompt()
    {
        Assert.Equal(Key("a cat"), Key("a cat"));
        Assert.NotEqual(Key("a cat"), Key("a cat", length: 32));
        Assert.NotEqual(Key("a cat"), Key("a cat", encoder: "umt5@b"));
        Assert.NotEqual(Key("a cat"), Key("a cat "));
        // Length prefixes keep field boundaries apart.
        Assert.NotEqual(TextEmbeddingKey.For("ab", 1, "c"), TextEmbeddingKey.For("a", 1, "bc"));
    }

    [Fact]
    public void Same_prompt_is_encoded_once()
    {
        using var cache = Cache();
        int encodes = 0;
        torch.Tensor Encode()
        {
            encodes++;
            return torch.full(2, 3, 7f);
        }

        using var first = cache.GetOrAdd(Key("p"), Encode, torch.CPU);
        using var second = cache.GetOrAdd(Key("p"), Encode, torch.CPU);

        Assert.Equal(1, encodes);
        Assert.Equal((1L, 1L), (cache.Hits, cache.Misses));
        Assert.True(first.eq(second).all().item<bool>());
        second.fill_(0f);
        using var third = cache.GetOrAdd(Key("p"), Encode, torch.CPU);
        Assert.Equal(7f, third[0, 0].item<float>());
    }

    [Fact]
    public void Least_recently_used_entries_are_evicted_but_pinned_ones_stay()
    {
        using var cache = Cache(maxEntries: 2);
        cache.GetOrAdd(Key("negative"), () => torch.zeros(4), torch.CPU, pin: true).Dispose();
        cache.GetOrAdd(Key("a"), () => torch.zeros(4), torch.CPU).Dispose();
        cache.GetOrAdd(Key("b"), () => torch.zeros(4), torch.CPU).Dispose();

        Assert.Equal(2, cache.Count);
        int encodes = 0;
        cache.GetOrAdd(Key("negative"), () => { encodes++; return torch.zeros(4); }, torch.CPU).Dispose();
        Assert.Equal(0, encodes);
        cache.GetOrAdd(Key("a"), () => { encodes++; return torch.zeros(4); }, torch.CPU).Dispose();
        Assert.Equal(1, encodes);
    }

    [Fact]
    public void Byte_bound_is_respected()
    {
        using var cache = Cache(maxEntries: 100, maxBytes: 3 * 4 * 1024);
        for (int i = 0; i < 10; i++)
        {
            cache.GetOrAdd(Key($"p{i}"), () => torch.zeros(1024), torch.CPU).Dispose();
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.Bytes <= 3 * 4 * 1024);
    }

    [Fact]
    public void Invalid_bounds_fail_at_construction_with_every_problem()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            new TextEmbeddingCache(Options.Create(new TextEmbeddingCacheOptions { MaxEntries = 0, MaxBytes = 0 })));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void Prompt_encoder_matches_the_uncached_umt5_path_and_caches_the_negative_prompt()
    {
        var tokenizer = Umt5PromptTokenizer.FromFolder(CodecGoldenSet.Component("tokenizer"), ByteFallbackMode.Enabled);
        using var model = Umt5EncoderModel.FromFolder(CodecGoldenSet.Component("text_encoder"), torch.CPU);
        using var cache = Cache();
        var encoder = new PromptEncoder(tokenizer, model, cache, "codecs-tiny/text_encoder", maxSequenceLength: 32);

        using var negative1 = encoder.Encode("色调艳丽，过曝", torch.CPU, isNegativePrompt: true);
        using var positive = encoder.Encode("A cat sits on a red chair.", torch.CPU);
        using var negative2 = encoder.Encode("色调艳丽，过曝", torch.CPU, isNegativePrompt: true);

        Assert.Equal((1L, 2L), (cache.Hits, cache.Misses));
        Assert.True(negative1.eq(negative2).all().item<bool>());
        var tokens = tokenizer.Tokenize("A cat sits on a red chair.", 32);
        using var ids = torch.tensor(tokens.InputIds).unsqueeze(0);
        using var mask = torch.tensor(tokens.AttentionMask).unsqueeze(0);
        using var direct = model.EncodePromptEmbeddings(ids, mask);
        Assert.True(positive.eq(direct).all().item<bool>());
        Assert.Equal(new long[] { 1, 32, Umt5Config.Load(CodecGoldenSet.Component("text_encoder")).DModel }, positive.shape);
        Assert.Equal(0f, positive[0, tokens.Length..].abs().sum().item<float>());
    }
}
