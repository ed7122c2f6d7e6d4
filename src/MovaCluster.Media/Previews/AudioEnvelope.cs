namespace MovaCluster.Media.Previews;

/// <summary>
/// A loudness-like curve of the audio being generated: one level per audio latent frame (MOVA: 50 per second).
/// </summary>
/// <param name="Levels">Root-mean-square over latent channels, per latent frame.</param>
/// <param name="FramesPerSecond">Latent frames per second of audio.</param>
public sealed record AudioEnvelope(float[] Levels, double FramesPerSecond)
{
    /// <summary>Seconds of audio the envelope covers.</summary>
    public double DurationSeconds => Levels.Length / FramesPerSecond;

    /// <summary>
    /// The levels scaled so the loudest is 255, one byte each: a compact payload for a progress socket.
    /// </summary>
    public byte[] ToBytes()
    {
        var peak = 0f;
        foreach (var level in Levels)
        {
            peak = Math.Max(peak, level);
        }

        var bytes = new byte[Levels.Length];
        if (peak <= 0f)
        {
            return bytes;
        }

        for (var i = 0; i < Levels.Length; i++)
        {
            bytes[i] = (byte)MathF.Round(Levels[i] / peak * 255f);
        }

        return bytes;
    }
}
