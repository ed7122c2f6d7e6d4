using MovaCluster.Model.Configs;

namespace MovaCluster.Model.Dit;

/// <summary>The sizes a tower is built from (taken from a validated config).</summary>
public sealed record TowerShape(int Dim, int InDim, int FfnDim, int OutDim, int TextDim, int FreqDim, double Eps, int NumHeads, int NumLayers, int[] PatchSize)
{
    /// <summary>Channels per head.</summary>
    public int HeadDim => Dim / NumHeads;

    /// <summary>Elements of one patch (prod(patch_size)).</summary>
    public int PatchElements => PatchSize.Aggregate(1, (acc, p) => acc * p);

    public static TowerShape From(WanModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.Dim, config.InDim, config.FfnDim, config.OutDim, config.TextDim, config.FreqDim, config.Eps, config.NumHeads, config.NumLayers, config.PatchSize);
    }

    public static TowerShape From(WanAudioModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.Dim, config.InDim, config.FfnDim, config.OutDim, config.TextDim, config.FreqDim, config.Eps, config.NumHeads, config.NumLayers, config.PatchSize);
    }
}
