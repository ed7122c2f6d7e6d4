using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests.Codecs;

public sealed class CodecGoldenCoverageTests
{
    [Fact]
    public void Every_codecs_tiny_case_belongs_to_a_kind_the_golden_tests_run()
    {
        // The selectors the golden test classes use (WanVideoVaeGoldenTests, Umt5GoldenTests, TokenizerGoldenTests).
        var covered = new HashSet<string>(StringComparer.Ordinal);
        covered.UnionWith(CodecGoldenSet.CasesWith("input.video", "output.latent_mean", "output.moments"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.image", "output.condition"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.latent", "output.video", "intermediate.decoder"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.latent", "output.normalized", "output.denormalized"));
        covered.UnionWith(CodecGoldenSet.CasesWith("input.input_ids", "input.attention_mask", "output.last_hidden_state"));
        covered.UnionWith(CodecGoldenSet.CaseNames.Where(n => CodecGoldenSet.CaseEntry(n).TryGetProperty("json", out _)));

        var uncovered = CodecGoldenSet.CaseNames.Where(n => !covered.Contains(n)).ToList();

        Assert.True(uncovered.Count == 0, $"cases no golden test runs: {string.Join(", ", uncovered)}");
        Assert.Equal(12, covered.Count);
    }
}
