using MovaCluster.Model.Tests.Support;

namespace MovaCluster.Model.Tests;

/// <summary>Every case of the mova-tiny manifest is checked by a test of this project or, for the DAC, the codecs.</summary>
public sealed class GoldenCoverageTests
{
    private static readonly HashSet<string> CheckedHere =
    [
        "scheduler", "video_block", "audio_block", "bridge_layer", "single_step_video_dit", "single_step_video_dit_2",
        "sampling_loop", "sampling_loop_cfg1", "rope_tables",
    ];

    // The audio VAE (DAC) decoder is built by the codecs work package; its case is checked there.
    private static readonly HashSet<string> CheckedByCodecs = ["dac_decode"];

    [Fact]
    public void Every_manifest_case_has_an_owner()
    {
        var unowned = GoldenSet.CaseNames.Where(n => !CheckedHere.Contains(n) && !CheckedByCodecs.Contains(n)).ToList();
        Assert.True(unowned.Count == 0, $"Golden cases without a test: {string.Join(", ", unowned)}");
        Assert.Superset(CheckedHere, GoldenSet.CaseNames.Where(CheckedHere.Contains).ToHashSet());
        Assert.Equal(CheckedHere.Count, GoldenSet.CaseNames.Count(CheckedHere.Contains));
    }
}
