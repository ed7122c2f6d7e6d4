using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Publishing;

/// <summary>Turns decoded output into a stored clip (muxing, then uploading), reporting those two phases.</summary>
public interface IClipPublisher
{
    Task<PublishedClip> PublishAsync(
        ClipPublication clip, GenerationOutput output, Action<GenerationPhase> onPhase, CancellationToken cancellationToken);
}
