namespace MovaCluster.Api.Models;

/// <summary>The models a fresh gateway offers before configuration adds or changes any.</summary>
public static class ModelCatalog
{
    public const string Mova360p = "mova-360p";
    public const string Mova720p = "mova-720p";
    public const string MovaTiny = "mova-tiny";

    public static Dictionary<string, ModelProfile> Defaults() => new(StringComparer.Ordinal)
    {
        [Mova360p] = new ModelProfile(),
        [Mova720p] = new ModelProfile
        {
            DefaultWidth = 1280, DefaultHeight = 720, MaxLongSide = 1280, MaxShortSide = 720,
        },
        [MovaTiny] = new ModelProfile
        {
            DefaultWidth = 64, DefaultHeight = 48, MaxLongSide = 256, MaxShortSide = 256,
            DefaultSeconds = 1, MaxFrames = 49, DefaultFps = 8, DefaultSteps = 4, MaxSteps = 50,
        },
    };
}
