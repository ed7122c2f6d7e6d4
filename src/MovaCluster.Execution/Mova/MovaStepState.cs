using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Execution.Mova;

/// <summary>The MOVA sampler's state after a step, read from its tensors while the observer runs.</summary>
internal sealed class MovaStepState(StepProgress progress, TimeSpan duration, double audioFramesPerSecond, bool loraMerged) : IDenoiseStepState
{
    public int CompletedSteps => progress.StepIndex + 1;

    public int TotalSteps => progress.TotalSteps;

    public VideoExpert Expert => progress.Expert;

    public TimeSpan Duration => duration;

    public CacheUsage? Cache { get; init; }

    public double Work { get; init; } = 1;

    public double RemainingWork { get; init; }

    /// <summary>A cached job's checkpoint also carries the sampler state that rebuilds its cache on resume.</summary>
    public DenoiseCheckpoint CaptureCheckpoint()
    {
        byte[]? cacheState = null;
        if (progress.Cache is not null)
        {
            using var state = progress.ToState();
            cacheState = SamplerStateBytes.Write(state);
        }

        return new(CompletedSteps, LatentTensors.ToBuffer(progress.VideoLatents), LatentTensors.ToBuffer(progress.AudioLatents), loraMerged) { CacheState = cacheState };
    }

    public PreviewLatents CapturePreview(int maxVideoFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVideoFrames, 1);
        using var scope = torch.NewDisposeScope();
        var video = progress.VideoLatents[0];
        var frames = (int)video.shape[1];
        var count = Math.Min(frames, maxVideoFrames);
        var picks = Enumerable.Range(0, count)
            .Select(k => count == 1 ? 0L : (long)Math.Round((double)k * (frames - 1) / (count - 1), MidpointRounding.AwayFromZero))
            .ToArray();
        var picked = video.index_select(1, torch.tensor(picks, device: video.device));
        return new PreviewLatents(LatentTensors.ToBuffer(picked), LatentTensors.ToBuffer(progress.AudioLatents[0]), audioFramesPerSecond);
    }
}
