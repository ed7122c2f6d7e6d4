using System.Text.Json;
using MovaCluster.Model.Tests.Support;
using MovaCluster.Model.Text;

namespace MovaCluster.Model.Tests.Text;

public sealed class TokenizerGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in CodecGoldenSet.TokenizerCases)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_manifest_lists_a_tokenizer_case() => Assert.NotEmpty(CodecGoldenSet.TokenizerCases);

    private static JsonElement LoadCases(string caseName, out int maxLength)
    {
        var tokenizerCase = CodecGoldenSet.CaseEntry(caseName);
        maxLength = tokenizerCase.GetProperty("params").GetProperty("max_length").GetInt32();
        string json = tokenizerCase.GetProperty("json").GetString()!;
        using var cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(CodecGoldenSet.Root, json)));
        var prompts = cases.RootElement.GetProperty("prompts").Clone();

        // The manifest names the prompts and sizes the id tensors by them: the JSON must hold exactly those rows.
        var names = tokenizerCase.GetProperty("params").GetProperty("prompt_names").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(names, prompts.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList());
        Assert.Equal(names.Count, tokenizerCase.GetProperty("tensors").GetProperty("output.input_ids").GetProperty("shape")[0].GetInt32());
        return prompts;
    }

    private static JsonElement Tokenizer => CodecGoldenSet.ComponentEntry("tokenizer");

    private static long[] Longs(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cleaning_without_ftfy_matches_every_golden_prompt(string caseName)
    {
        var prompts = LoadCases(caseName, out _);
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

        Assert.True(prompts.GetArrayLength() > 0, "the tokenizer case lists no prompts");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("spiece.model", ByteFallbackMode.FromTokenizerFiles, "input_ids", "attention_mask")]
    [InlineData("spiece.model", ByteFallbackMode.Enabled, "input_ids", "attention_mask")]
    [InlineData("spiece.model", ByteFallbackMode.Disabled, "input_ids_no_byte_fallback", "attention_mask_no_byte_fallback")]
    [InlineData("spiece_no_byte_fallback.model", ByteFallbackMode.FromTokenizerFiles, "input_ids_no_byte_fallback", "attention_mask_no_byte_fallback")]
    public void Ids_and_masks_match_every_golden_prompt(string modelFile, ByteFallbackMode mode, string idsField, string maskField)
    {
        foreach (var caseName in CodecGoldenSet.TokenizerCases)
        {
            IdsAndMasksMatch(caseName, modelFile, mode, idsField, maskField);
        }
    }

    private static void IdsAndMasksMatch(string caseName, string modelFile, ByteFallbackMode mode, string idsField, string maskField)
    {
        var prompts = LoadCases(caseName, out int maxLength);
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

        Assert.True(failures.Count == 0, $"{caseName}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Model_file_reports_the_umt5_special_ids_and_byte_fallback()
    {
        var model = SentencePieceModelProto.Load(Path.Combine(CodecGoldenSet.Root, "tokenizer", "spiece.model"));

        // As the manifest records the trained model: special ids (bos null = none), byte fallback, pieces, normalizer.
        var ids = Tokenizer.GetProperty("special_ids");
        int Id(string name) => ids.GetProperty(name).ValueKind == JsonValueKind.Null ? -1 : ids.GetProperty(name).GetInt32();
        Assert.Equal((Id("pad"), Id("eos"), Id("unk"), Id("bos")), (model.PadId, model.EosId, model.UnknownId, model.BosId));
        Assert.Equal(Tokenizer.GetProperty("trainer_spec").GetProperty("byte_fallback").GetBoolean(), model.ByteFallback);
        Assert.Equal(Tokenizer.GetProperty("num_pieces").GetInt32(), model.Pieces.Count);
        Assert.Equal(Tokenizer.GetProperty("pieces").EnumerateArray().Select(p => p[0].GetString()), model.Pieces.Select(p => p.Piece));
        Assert.Equal(Tokenizer.GetProperty("normalizer_spec").GetProperty("name").GetString(), model.NormalizerName);
    }

    [Fact]
    public void Tokenizer_json_flag_decides_byte_fallback_when_present()
    {
        // The tiny set's tokenizer.json says byte_fallback false (as transformers' T5Converter writes it), its spiece.model true.
        var folder = Path.Combine(CodecGoldenSet.Root, "tokenizer");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")));
        var tokenizer = Umt5PromptTokenizer.FromFolder(folder);

        Assert.Equal(json.RootElement.GetProperty("model").GetProperty("byte_fallback").GetBoolean(), tokenizer.Encoder.ByteFallback);
    }

    [Theory]
    [InlineData(ByteFallbackMode.Disabled, "byte_fallback_false")]
    [InlineData(ByteFallbackMode.Enabled, "byte_fallback_true")]
    public void Special_token_text_follows_the_fast_tokenizer_for_every_golden_prompt(ByteFallbackMode mode, string field)
    {
        foreach (var caseName in CodecGoldenSet.TokenizerCases)
        {
            FastTokenizerMatches(caseName, mode, field);
        }
    }

    private static void FastTokenizerMatches(string caseName, ByteFallbackMode mode, string field)
    {
        var prompts = LoadCases(caseName, out int maxLength);
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

        // Every row the manifest lists for the fast tokenizer was compared (none when the set was made without it).
        var listed = CodecGoldenSet.CaseEntry(caseName).GetProperty("tensors").TryGetProperty($"output.hf_tokenizers_{field}.input_ids", out var tensor)
            ? tensor.GetProperty("shape")[0].GetInt32()
            : 0;
        Assert.Equal(listed, compared);
        Assert.True(failures.Count == 0, $"{caseName}:\n" + string.Join("\n", failures));
    }
}
