using Microsoft.Extensions.Options;
using MovaCluster.Contracts.Progress;
using MovaCluster.Execution;
using MovaCluster.Media;
using MovaCluster.Media.Previews;

namespace MovaCluster.Grains.Workers;

/// <summary>
/// Turns the latents captured after a step into a preview event: a JPEG strip through the Wan 2.1 latent-to-RGB
/// factors and the audio latent's loudness envelope. Runs on the progress pump, never on the device thread.
/// </summary>
public sealed class StepPreviewRenderer(LatentPreviewRenderer strips, IOptions<MediaOptions> media)
{
    /// <summary>How many video latent frames a preview shows (the strip's slots).</summary>
    public int StripFrames => media.Value.PreviewStripFrames;

    public JobPreviewEvent Render(int step, PreviewLatents latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        var video = latents.Video.Shape;
        if (video.Length != 4)
        {
            throw new ArgumentException($"A preview's video latent must be [channels, frames, height, width], not [{string.Join(", ", video)}].", nameof(latents));
        }

        var shape = new LatentVideoShape((int)video[0], (int)video[1], (int)video[2], (int)video[3]);
        var audio = latents.Audio.Shape;
        var envelope = audio.Length == 2 && audio[0] > 0 && audio[1] > 0
            ? AudioLatentPreview.Envelope(latents.Audio.Values, (int)audio[0], (int)audio[1], latents.AudioFramesPerSecond)
            : null;
        return new JobPreviewEvent
        {
            Step = step,
            Image = strips.RenderStrip(latents.Video.Values, shape),
            ImageContentType = "image/jpeg",
            AudioEnvelope = envelope?.Levels,
            AudioEnvelopeFramesPerSecond = envelope?.FramesPerSecond ?? 0,
        };
    }
}
