using MovaCluster.Media.Frames;

namespace MovaCluster.Media.Tests;

/// <summary>Frames and audio made up for tests, rendered on request.</summary>
internal static class SyntheticClips
{
    /// <summary>A moving gradient whose colours also depend on the frame index.</summary>
    public static GeneratedRgbFrames Gradient(int width, int height, int frames) => new(width, height, frames, (index, destination, _) =>
    {
        var span = destination.Span;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * width + x) * 3;
                span[p] = (byte)((x + index * 4) & 0xFF);
                span[p + 1] = (byte)((y * 2) & 0xFF);
                span[p + 2] = (byte)((index * 9) & 0xFF);
            }
        }

        return ValueTask.CompletedTask;
    });

    /// <summary>Each frame one flat colour that identifies it.</summary>
    public static GeneratedRgbFrames Solid(int width, int height, int frames) => new(width, height, frames, (index, destination, _) =>
    {
        var (r, g, b) = SolidColour(index);
        var span = destination.Span;
        for (var p = 0; p < span.Length; p += 3)
        {
            span[p] = r;
            span[p + 1] = g;
            span[p + 2] = b;
        }

        return ValueTask.CompletedTask;
    });

    public static (byte R, byte G, byte B) SolidColour(int index) =>
        ((byte)(index * 37 % 256), (byte)(255 - index * 23 % 256), (byte)(index * 61 % 200 + 40));

    /// <summary>A quiet tone of <paramref name="seconds"/> seconds at 48 kHz.</summary>
    public static float[] Tone(double seconds, double hertz = 440, float amplitude = 0.2f)
    {
        var samples = new float[(int)Math.Round(seconds * 48_000)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = amplitude * (float)Math.Sin(2 * Math.PI * hertz * i / 48_000);
        }

        return samples;
    }
}
