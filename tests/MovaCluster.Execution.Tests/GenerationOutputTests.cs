
namespace MovaCluster.Execution.Tests;

public sealed class GenerationOutputTests
{
    [Fact]
    public void Frames_of_a_frame_major_buffer_are_views_of_it_in_order()
    {
        var rgb = Enumerable.Range(0, 3 * 2 * 2 * 3).Select(i => (byte)i).ToArray();

        var frames = GenerationOutput.FramesOf(rgb, width: 2, height: 2);

        Assert.Equal(3, frames.Count);
        Assert.Equal(rgb[12..24], frames[1].ToArray());
        rgb[30] = 255;
        Assert.Equal(255, frames[2].Span[6]);
    }

    [Fact]
    public void A_buffer_that_is_not_whole_frames_is_refused()
    {
        var failure = Assert.Throws<ArgumentException>(() => GenerationOutput.FramesOf(new byte[13], width: 2, height: 2));

        Assert.Contains("2x2", failure.Message, StringComparison.Ordinal);
    }
}
