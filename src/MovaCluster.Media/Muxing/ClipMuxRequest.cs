using MovaCluster.Media.Frames;

namespace MovaCluster.Media.Muxing;

/// <summary>What goes into one MP4: frames at a frame rate, and mono float PCM at a sample rate.</summary>
/// <param name="Frames">Packed RGB frames; width and height must be multiples of 16.</param>
/// <param name="FrameRate">Frames per second (MOVA: 24).</param>
/// <param name="Audio">Mono samples in [-1, 1] (values outside are clipped); empty for a silent clip.</param>
/// <param name="SampleRate">Audio sample rate in Hz (MOVA: 48000).</param>
public sealed record ClipMuxRequest(IRgbFrameSource Frames, double FrameRate, ReadOnlyMemory<float> Audio, int SampleRate = 48_000)
{
    /// <summary>Throws an <see cref="ArgumentException"/> describing the first thing wrong with the request.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Frames);
        if (Frames.Width <= 0 || Frames.Height <= 0 || Frames.Width % 16 != 0 || Frames.Height % 16 != 0)
        {
            throw new ArgumentException($"Frame size {Frames.Width}x{Frames.Height} must be positive multiples of 16.", nameof(Frames));
        }

        if (Frames.FrameCount <= 0)
        {
            throw new ArgumentException("A clip needs at least one frame.", nameof(Frames));
        }

        if (!(FrameRate > 0 && FrameRate <= 240))
        {
            throw new ArgumentException($"Frame rate {FrameRate} must be in (0, 240].", nameof(FrameRate));
        }

        if (SampleRate is < 8_000 or > 192_000)
        {
            throw new ArgumentException($"Sample rate {SampleRate} must be between 8000 and 192000 Hz.", nameof(SampleRate));
        }
    }
}
