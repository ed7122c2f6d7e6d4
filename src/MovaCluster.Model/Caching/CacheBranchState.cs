using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The checkpointed part of a <see cref="BranchCache"/>: its expert, anchor step, step-level scalars and previous time
/// modulations. The residuals are not stored: they are recomputed from the anchor step's latents on resume.
/// </summary>
public sealed class CacheBranchState(
    CfgBranch branch,
    VideoExpert? expert,
    int anchorStep,
    double accumulated,
    int consecutiveReuses,
    torch.Tensor? signalVideo,
    torch.Tensor? signalAudio) : IDisposable
{
    public CfgBranch Branch { get; } = branch;

    public VideoExpert? Expert { get; } = expert;

    public int AnchorStep { get; } = anchorStep;

    public double Accumulated { get; } = accumulated;

    public int ConsecutiveReuses { get; } = consecutiveReuses;

    public torch.Tensor? SignalVideo { get; } = signalVideo;

    public torch.Tensor? SignalAudio { get; } = signalAudio;

    public void Dispose()
    {
        SignalVideo?.Dispose();
        SignalAudio?.Dispose();
    }
}
