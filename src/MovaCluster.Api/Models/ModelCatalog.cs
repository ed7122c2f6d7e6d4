using MovaCluster.Contracts.Workers;

namespace MovaCluster.Api.Models;

/// <summary>
/// The models a fresh gateway offers before configuration adds or changes any, each routed to the workers that report
/// its worker model: a checkpoint folder named MOVA-360p or MOVA-720p (the official names), or the tiny random-weights
/// MOVA the embedded default runs.
/// </summary>
public static class ModelCatalog
{
    public const string Mova360p = "mova-360p";
    public const string Mova720p = "mova-720p";
    public const string MovaTiny = "mova-tiny";

    public static Dictionary<string, ModelProfile> Defaults() => new(StringComparer.Ordinal)
    {
        [Mova360p] = new ModelProfile { WorkerModel = "MOVA-360p" },
        [Mova720p] = new ModelProfile
        {
            WorkerModel = "MOVA-720p", DefaultWidth = 1280, DefaultHeight = 720, MaxLongSide = 1280, MaxShortSide = 720,
        },
        [MovaTiny] = new ModelProfile
        {
            WorkerModel = WorkerModelNames.TinyRandomWeights,
            DefaultWidth = 64, DefaultHeight = 48, MaxLongSide = 256, MaxShortSide = 256,
            DefaultSeconds = 1, MaxFrames = 49, DefaultFps = 8, DefaultSteps = 4, MaxSteps = 50,
        },
    };
}
