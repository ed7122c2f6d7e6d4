using MovaCluster.Execution;
using MovaCluster.Execution.Publishing;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.CostModelCluster;

/// <summary>Reports a clip without storing it: the cost-model device's placeholder output is not worth the disk.</summary>
internal sealed class DiscardingClipPublisher : IClipPublisher
{
    public Task<PublishedClip> PublishAsync(ClipPublication clip, GenerationOutput output, Action<GenerationPhase> onPhase, CancellationToken cancellationToken)
    {
        onPhase(GenerationPhase.Muxing);
        onPhase(GenerationPhase.Uploading);
        return Task.FromResult(new PublishedClip($"{clip.JobId}.discarded", "application/octet-stream", output.VideoFrames.Sum(frame => (long)frame.Length), string.Empty));
    }
}
