using MovaCluster.Model.Planning;

namespace MovaCluster.Model.Tests.Planning;

public sealed class LayerPartitionerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void Ranges_are_contiguous_cover_every_layer_and_minimize_the_slowest_stage(int parts)
    {
        var random = new Random(parts);
        var costs = Enumerable.Range(0, 9).Select(_ => 1 + random.NextDouble() * 10).ToArray();

        var ranges = LayerPartitioner.Split(costs, parts);

        Assert.Equal(parts, ranges.Count);
        Assert.Equal(0, ranges[0].Start.Value);
        Assert.Equal(costs.Length, ranges[^1].End.Value);
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[i - 1].End.Value, ranges[i].Start.Value);
            Assert.True(ranges[i].End.Value > ranges[i].Start.Value);
        }

        var slowest = ranges.Max(r => costs[r].Sum());
        Assert.Equal(BruteForceBest(costs, parts), slowest, 6);
    }

    private static double BruteForceBest(double[] costs, int parts)
    {
        if (parts == 1)
        {
            return costs.Sum();
        }

        var best = double.MaxValue;
        for (var cut = 1; cut <= costs.Length - parts + 1; cut++)
        {
            var head = costs[..cut].Sum();
            best = Math.Min(best, Math.Max(head, BruteForceBest(costs[cut..], parts - 1)));
        }

        return best;
    }
}
