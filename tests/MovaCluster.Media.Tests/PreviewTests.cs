using MovaCluster.Media.Previews;
using SkiaSharp;

namespace MovaCluster.Media.Tests;

public sealed class PreviewTests
{
    private readonly MediaTestServices _media = new(options => options.PreviewScale = 2);

    [Fact]
    public void Strip_shows_evenly_spaced_latent_frames_through_the_Wan21_factors()
    {
        var shape = new LatentVideoShape(16, 13, 12, 20);
        var latent = new float[shape.ElementCount];
        // Frame 0 stays zero (the bias alone); frame 12, the last, gets +1 on channel 2 everywhere.
        var plane = shape.Height * shape.Width;
        for (var p = 0; p < plane; p++)
        {
            latent[(2 * shape.Frames * plane) + (12 * plane) + p] = 1f;
        }

        var jpeg = _media.Previews.RenderStrip(latent, shape);

        using var bitmap = SKBitmap.Decode(jpeg);
        Assert.Equal((4 * 20 * 2, 12 * 2), (bitmap.Width, bitmap.Height));
        var bias = Wan21LatentRgbFactors.Bias.ToArray();
        var weights = Wan21LatentRgbFactors.Weights.ToArray();
        AssertNear(Expected(bias[0]), Expected(bias[1]), Expected(bias[2]), bitmap.GetPixel(20, 12));
        AssertNear(Expected(bias[0] + weights[6]), Expected(bias[1] + weights[7]), Expected(bias[2] + weights[8]), bitmap.GetPixel((3 * 40) + 20, 12));
    }

    [Fact]
    public void Strip_refuses_a_latent_of_the_wrong_size_or_channel_count()
    {
        Assert.Throws<ArgumentException>(() => _media.Previews.RenderStrip(new float[10], new LatentVideoShape(16, 1, 2, 2)));
        Assert.Throws<ArgumentException>(() => _media.Previews.RenderStrip(new float[8], new LatentVideoShape(2, 1, 2, 2)));
    }

    [Fact]
    public void Picks_first_and_last_frames()
    {
        Assert.Equal([0, 16, 32, 48], LatentPreviewRenderer.PickFrames(49, 4));
        Assert.Equal([0], LatentPreviewRenderer.PickFrames(1, 4));
    }

    [Fact]
    public void Audio_envelope_rises_where_the_latent_carries_energy()
    {
        const int channels = 128;
        const int frames = 403;
        var latent = new float[channels * frames];
        var random = new Random(7);
        for (var c = 0; c < channels; c++)
        {
            for (var t = 0; t < frames; t++)
            {
                var loud = t is >= 100 and < 150;
                latent[(c * frames) + t] = (float)((random.NextDouble() - 0.5) * (loud ? 4.0 : 0.4));
            }
        }

        var envelope = AudioLatentPreview.Envelope(latent, channels, frames);

        Assert.Equal(frames, envelope.Levels.Length);
        Assert.Equal(8.06, envelope.DurationSeconds, 6);
        Assert.True(envelope.Levels[120] > 5 * envelope.Levels[300], $"{envelope.Levels[120]} vs {envelope.Levels[300]}");
        var bytes = envelope.ToBytes();
        Assert.Equal(255, bytes.Max());
        Assert.InRange(bytes[300], 0, 60);
    }

    [Fact]
    public void Audio_envelope_refuses_a_mismatched_shape()
    {
        Assert.Throws<ArgumentException>(() => AudioLatentPreview.Envelope(new float[10], 128, 1));
    }

    private static byte Expected(float value) => (byte)Math.Round((Math.Clamp(value, -1f, 1f) + 1f) * 127.5f);

    private static void AssertNear(byte r, byte g, byte b, SKColor actual)
    {
        Assert.InRange(actual.Red, r - 6, r + 6);
        Assert.InRange(actual.Green, g - 6, g + 6);
        Assert.InRange(actual.Blue, b - 6, b + 6);
    }
}
