using System.Text.Json;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;

namespace MovaCluster.Model.Tests.Text;

public sealed class TokenizerGoldenTests
{
    private static JsonElement LoadCases(out int maxLength)
    {
        string root = CodecGoldenSet.Root;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")));
        var tokenizerCase = manifest.RootElement.GetProperty("cases").GetProperty("tokenizer");
        maxLength = tokenizerCase.GetProperty("params").GetProperty("max_length").GetInt32();
        string json = tokenizerCase.GetProperty("json").GetString()!;
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, json)));
        return cases.RootElement.GetProperty("prompts").Clone();
    }

    private static long[] Longs(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();

    [Fact]
    public void Cleaning_without_ftfy_matches_every_golden_prompt()
    {
        var prompts = LoadCases(out _);
        var cleaner = new PromptCleaner(applyFtfyRepairs: false);
        var failures = new List<string>();
        foreach (var prompt in prompts.EnumerateArray())
        {
            string cleaned = cleaner.Clean(prompt.GetProperty("raw").GetString()!);
            if (cleaned != prompt.GetProperty("cleaned").GetString())
            {
                failures.Add($"{prompt.GetProperty("name").GetString()}: got '{cleaned}'");
            }
        }

        Assert.True(prompts.GetArrayLength() == 34, "the golden set lists 34 prompts");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("spiece.model", ByteFallbackMode.FromTokenizerFiles, "input_ids", "attention_mask")]
    [InlineData("spiece.model", ByteFallbackMode.Enabled, "input_ids", "attention_mask")]
    [InlineData("spiece.model", ByteFallbackMode.Disabled, "input_ids_no_byte_fallback", "attention_mask_no_byte_fallback")]
    [InlineData("spiece_no_byte_fallback.model", ByteFallbackMode.FromTokenizerFiles, "input_ids_no_byte_fallback", "attention_mask_no_byte_fallback")]
    public void Ids_and_masks_match_every_golden_prompt(string modelFile, ByteFallbackMode mode, string idsField, string maskField)
    {
        var prompts = LoadCases(out int maxLength);
        var model = SentencePieceModelProto.Load(Path.Combine(CodecGoldenSet.Root, "tokenizer", modelFile));
        bool fallback = mode switch
        {
            ByteFallbackMode.Enabled => true,
            ByteFallbackMode.Disabled => false,
            _ => model.ByteFallback,
        };
        var tokenizer = new Umt5PromptTokenizer(new UnigramSentencePieceEncoder(model, fallback), new PromptCleaner(applyFtfyRepairs: false));
        var failures = new List<string>();
        foreach (var prompt in prompts.EnumerateArray())
        {
            var result = tokenizer.Tokenize(prompt.GetProperty("raw").GetString()!, maxLength);
            long[] expectedIds = Longs(prompt, idsField);
            long[] expectedMask = Longs(prompt, maskField);
            if (!result.InputIds.SequenceEqual(expectedIds) || !result.AttentionMask.SequenceEqual(expectedMask)
                || result.Length != expectedMask.Count(m => m == 1))
            {
                failures.Add($"{prompt.GetProperty("name").GetString()}: got [{string.Join(",", result.InputIds)}] want [{string.Join(",", expectedIds)}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Model_file_reports_the_umt5_special_ids_and_byte_fallback()
    {
        var model = SentencePieceModelProto.Load(Path.Combine(CodecGoldenSet.Root, "tokenizer", "spiece.model"));

        Assert.Equal((0, 1, 2, -1), (model.PadId, model.EosId, model.UnknownId, model.BosId));
        Assert.True(model.ByteFallback);
        Assert.Equal(800, model.Pieces.Count);
        Assert.Equal("nmt_nfkc", model.NormalizerName);
    }

    [Fact]
    public void Tokenizer_json_flag_decides_byte_fallback_when_present()
    {
        // The golden tokenizer.json says byte_fallback false (as transformers' T5Converter writes it).
        var tokenizer = Umt5PromptTokenizer.FromFolder(Path.Combine(CodecGoldenSet.Root, "tokenizer"));

        Assert.False(tokenizer.Encoder.ByteFallback);
    }

    [Theory]
    [InlineData(ByteFallbackMode.Disabled, "byte_fallback_false")]
    [InlineData(ByteFallbackMode.Enabled, "byte_fallback_true")]
    public void Special_token_text_follows_the_fast_tokenizer_for_every_golden_prompt(ByteFallbackMode mode, string field)
    {
        var prompts = LoadCases(out int maxLength);
        var folder = Path.Combine(CodecGoldenSet.Root, "tokenizer");
        var tokenizer = Umt5PromptTokenizer.FromFolder(folder, mode, applyFtfyRepairs: false, matchSpecialTokens: true);
        var failures = new List<string>();
        int compared = 0;
        foreach (var prompt in prompts.EnumerateArray())
        {
            if (!prompt.TryGetProperty("hf_tokenizers", out var hf))
            {
                continue;
            }

            long[] expected = Longs(hf.GetProperty(field), "input_ids");
            var result = tokenizer.Tokenize(prompt.GetProperty("raw").GetString()!, maxLength);
            compared++;
            if (!result.InputIds.SequenceEqual(expected) || !result.AttentionMask.SequenceEqual(Longs(hf.GetProperty(field), "attention_mask")))
            {
                failures.Add($"{prompt.GetProperty("name").GetString()}: got [{string.Join(",", result.InputIds)}] want [{string.Join(",", expected)}]");
            }
        }

        Assert.Equal(34, compared);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
