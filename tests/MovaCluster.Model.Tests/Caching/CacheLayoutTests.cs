using MovaCluster.Model.Caching;

namespace MovaCluster.Model.Tests.Caching;

public sealed class CacheLayoutTests
{
    [Fact]
    public void Movas_stack_keeps_the_first_layers_and_each_towers_last_layers_computed()
    {
        // MOVA: 40 video layers, the first 30 with audio blocks and bridge exchanges.
        var layout = CacheLayout.For(40, 30, firstLayers: 2, lastLayers: 1, blockLevel: true);

        Assert.Equal(
            [new(0, 2, false, true), new(2, 29, true, true), new(29, 30, false, true), new(30, 39, true, false), new(39, 40, false, false)],
            layout.Spans);
        Assert.Equal(2, layout.SignalLayers);
        Assert.Equal(4, layout.LayersComputedWhenReused);
    }

    [Fact]
    public void Equal_towers_have_one_cached_middle()
    {
        var layout = CacheLayout.For(8, 8, 1, 1, true);
        Assert.Equal([new(0, 1, false, true), new(1, 7, true, true), new(7, 8, false, true)], layout.Spans);
    }

    [Fact]
    public void Without_a_last_layer_the_cached_span_runs_past_the_audio_depth()
    {
        var layout = CacheLayout.For(3, 2, 1, 0, true);
        Assert.Equal([new(0, 1, false, true), new(1, 3, true, true)], layout.Spans);
    }

    [Theory]
    [InlineData(2, 2, 1, 1, true)]
    [InlineData(8, 8, 4, 4, true)]
    [InlineData(8, 8, 9, 0, true)]
    [InlineData(8, 8, 1, 1, false)]
    public void Nothing_to_cache_gives_one_computed_span_and_no_signal(int layers, int shared, int first, int last, bool blockLevel)
    {
        var layout = CacheLayout.For(layers, shared, first, last, blockLevel);
        Assert.False(layout.HasCachedSpans);
        Assert.Equal([new LayerSpan(0, layers, false, true)], layout.Spans);
    }

    [Fact]
    public void Spans_cover_the_stack_in_order_for_every_setting()
    {
        for (var layers = 1; layers <= 9; layers++)
        {
            for (var shared = 0; shared <= layers; shared++)
            {
                for (var first = 1; first <= 3; first++)
                {
                    for (var last = 0; last <= 3; last++)
                    {
                        var layout = CacheLayout.For(layers, shared, first, last, true);
                        Assert.Equal(0, layout.Spans[0].Start);
                        Assert.Equal(layers, layout.Spans[^1].End);
                        Assert.All(layout.Spans.Zip(layout.Spans.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
                        Assert.All(layout.Spans, s => Assert.Equal(s.Start < shared, s.HasAudio));
                        Assert.All(layout.Spans.Where(s => s.Cached), s => Assert.True(s.Start >= first && s.End <= layers - last));
                    }
                }
            }
        }
    }

    [Fact]
    public void Cache_memory_counts_one_token_copy_per_cached_tensor_and_branch()
    {
        const long V = 100L * 8 * 2;
        const long A = 10L * 4 * 2;
        Assert.Equal(0, CacheMemoryEstimate.PeakBytes(new CacheSettings { BlockThreshold = null }, 6, 4, 100, 8, 10, 4, 2, cfg: true));

        // Block level on 6 layers / 4 audio, F1 B1: reference + spans [1, 3) (with audio) and [4, 5) (video only).
        var blocks = new CacheSettings { BlockThreshold = 0.1, FirstLayers = 1, LastLayers = 1 };
        Assert.Equal((2 * ((V + A) + (V + A) + V)) + V + A, CacheMemoryEstimate.PeakBytes(blocks, 6, 4, 100, 8, 10, 4, 2, cfg: true));

        // Both levels, one branch: + the stack residual.
        Assert.Equal((V + A) + (V + A) + (V + A) + V + V + A, CacheMemoryEstimate.PeakBytes(blocks with { StepThreshold = 0.1 }, 6, 4, 100, 8, 10, 4, 2, cfg: false));
    }
}
