namespace MovaCluster.Model.Planning;

/// <summary>Splits the stack into contiguous layer ranges whose costs are as even as possible (the slowest stage sets the pace).</summary>
public static class LayerPartitioner
{
    /// <summary>Ranges [start, end) covering all layers, minimizing the largest range cost.</summary>
    public static IReadOnlyList<Range> Split(IReadOnlyList<double> layerCosts, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, layerCosts.Count);

        double low = layerCosts.Max(), high = layerCosts.Sum();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var middle = (low + high) / 2;
            if (CountParts(layerCosts, middle) <= parts)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return Cut(layerCosts, high, parts);
    }

    private static int CountParts(IReadOnlyList<double> costs, double limit)
    {
        var count = 1;
        var sum = 0.0;
        foreach (var cost in costs)
        {
            if (sum + cost > limit)
            {
                count++;
                sum = 0;
            }

            sum += cost;
        }

        return count;
    }

    private static List<Range> Cut(IReadOnlyList<double> costs, double limit, int parts)
    {
        var ranges = new List<Range>();
        var start = 0;
        var sum = 0.0;
        for (var i = 0; i < costs.Count; i++)
        {
            var layersLeft = costs.Count - i;
            var rangesLeft = parts - ranges.Count;
            // Cut when the limit is exceeded, or when every remaining range needs one of the remaining layers.
            if (i > start && (sum + costs[i] > limit || layersLeft < rangesLeft))
            {
                ranges.Add(start..i);
                start = i;
                sum = 0;
            }

            sum += costs[i];
        }

        ranges.Add(start..costs.Count);
        return ranges;
    }
}
