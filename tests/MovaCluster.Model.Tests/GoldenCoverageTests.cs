using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests;

/// <summary>Every case of the MOVA golden manifest is of a kind a golden test of this project runs.</summary>
public sealed class GoldenCoverageTests
{
    [Fact]
    public void Every_manifest_case_has_an_owner()
    {
        // The selectors the golden test classes use (GoldenModuleTests, SamplingLoopGoldenTests, SchedulerGoldenTests,
        // RopeTableGoldenTests, DacAudioDecoderGoldenTests).
        var kinds = new Dictionary<string, IReadOnlyList<string>>
        {
            ["block"] = GoldenSet.BlockCases,
            ["bridge layer"] = GoldenSet.BridgeLayerCases,
            ["single step"] = GoldenSet.SingleStepCases,
            ["sampling loop"] = GoldenSet.LoopCases,
            ["scheduler"] = GoldenSet.SchedulerCases,
            ["rope tables"] = GoldenSet.RopeCases,
            ["dac decode"] = GoldenSet.DacCases,
        };

        var unowned = GoldenSet.CaseNames.Where(n => !kinds.Values.Any(k => k.Contains(n))).ToList();
        Assert.True(unowned.Count == 0, $"Golden cases without a test: {string.Join(", ", unowned)}");
        var ambiguous = GoldenSet.CaseNames.Where(n => kinds.Values.Count(k => k.Contains(n)) > 1).ToList();
        Assert.True(ambiguous.Count == 0, $"Golden cases two kinds of test claim: {string.Join(", ", ambiguous)}");
    }
}
