namespace MovaCluster.Model.Configs;

/// <summary>The official interaction strategies: which layers get a bridge conditioner (same list both directions).</summary>
public static class BridgeInteraction
{
    /// <summary>Known strategy names.</summary>
    public static IReadOnlyList<string> Strategies { get; } = ["shallow_focus", "distributed", "progressive", "custom", "full"];

    /// <summary>True for a known strategy name.</summary>
    public static bool IsKnown(string strategy) => Strategies.Contains(strategy);

    /// <summary>Interaction layer indices for <paramref name="strategy"/> with <paramref name="minLayers"/> shared layers.</summary>
    public static IReadOnlyList<int> Layers(string strategy, int minLayers)
    {
        IEnumerable<int> layers = strategy switch
        {
            "shallow_focus" => Enumerable.Range(0, Math.Max(0, Math.Min(10, minLayers / 3))),
            "distributed" => Enumerable.Range(0, minLayers).Where(i => i % 3 == 0),
            "progressive" => Enumerable.Range(0, Math.Min(8, minLayers)).Concat(Enumerable.Range(8, Math.Max(0, minLayers - 8)).Where(i => (i - 8) % 3 == 0)),
            "custom" => new[] { 0, 2, 4, 6, 8, 12, 16, 20 }.Where(i => i < minLayers),
            "full" => Enumerable.Range(0, minLayers),
            _ => throw new ArgumentException($"Unknown interaction strategy '{strategy}'.", nameof(strategy)),
        };
        return [.. layers];
    }
}
