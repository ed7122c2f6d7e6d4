using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>
/// One pass of an uncached run compared with the same branch's pass at the previous step: the relative L1 change of the
/// time modulation (<see cref="SignalChange"/>, TeaCache's x), of the layer stack's residual (<see cref="OutputChange"/>,
/// its y) and of the first layers' residual (<see cref="FirstLayersChange"/>, the block cache's signal; null without
/// block bookkeeping).
/// </summary>
public sealed record CacheCalibrationSample(
    VideoExpert Expert,
    int Step,
    int TotalSteps,
    CfgBranch Branch,
    double SignalChange,
    double OutputChange,
    double? FirstLayersChange);
