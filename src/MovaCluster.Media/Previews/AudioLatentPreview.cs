namespace MovaCluster.Media.Previews;

/// <summary>
/// An audio step preview that needs no decoder: the per-frame energy of the audio latent [C, T]. Early in
/// sampling it is flat (the latent is mostly noise); as the sound forms, the speech and effects stand out as peaks
/// and pauses at the times they will play.
/// </summary>
public static class AudioLatentPreview
{
    /// <summary>MOVA's audio latent rate: 48 kHz over a hop of 960 samples.</summary>
    public const double MovaLatentFramesPerSecond = 50.0;

    /// <summary>Computes the envelope of <paramref name="latent"/>, laid out channel-major as [channels, frames].</summary>
    public static AudioEnvelope Envelope(ReadOnlySpan<float> latent, int channels, int frames, double framesPerSecond = MovaLatentFramesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        if (latent.Length != (long)channels * frames)
        {
            throw new ArgumentException($"An audio latent of [{channels}, {frames}] has {(long)channels * frames} values; got {latent.Length}.", nameof(latent));
        }

        var sums = new double[frames];
        for (var c = 0; c < channels; c++)
        {
            var row = latent.Slice(c * frames, frames);
            for (var t = 0; t < frames; t++)
            {
                sums[t] += (double)row[t] * row[t];
            }
        }

        var levels = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            levels[t] = (float)Math.Sqrt(sums[t] / channels);
        }

        return new AudioEnvelope(levels, framesPerSecond);
    }
}
