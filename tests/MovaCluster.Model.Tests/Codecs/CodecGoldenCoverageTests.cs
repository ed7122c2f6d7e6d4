using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests.Codecs;

public sealed class CodecGoldenCoverageTests
{
    [Fact]
    public void Every_codec_case_belongs_to_a_kind_the_golden_tests_run()
    {
        // The selectors the golden test classes use (WanVideoVaeGoldenTests, Umt5GoldenTests, TokenizerGoldenTests).
        var covered = new HashSet<string>(StringComparer.Ordinal);
        covered.UnionWith(CodecGoldenSet.CasesWith("input.video", "output.latent_mean", "output.moments"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.image", "output.condition"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.latent", "output.video", "intermediate.decoder"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.latent", "output.normalized", "output.denormalized"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.input_ids", "input.attention_mask", "output.last_hidden_state"));
        covered.UnionWith(CodecGoldenSet.TokenizerCases);

        var uncovered = CodecGoldenSet.CaseNames.Where(n => !covered.Contains(n)).ToList();

        Assert.NotEmpty(CodecGoldenSet.CaseNames);
        Assert.True(uncovered.Count == 0, $"cases no golden test runs: {string.Join(", ", uncovered)}");
    }
}
