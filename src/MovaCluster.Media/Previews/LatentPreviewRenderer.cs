using Microsoft.Extensions.Options;
using MovaCluster.Media.Imaging;
using SkiaSharp;

namespace MovaCluster.Media.Previews;

/// <summary>
/// A step preview that costs microseconds next to a denoising step: project a few evenly spaced latent frames to
/// RGB with <see cref="Wan21LatentRgbFactors"/>, lay them side by side and encode one small JPEG strip.
/// </summary>
public sealed class LatentPreviewRenderer(IOptions<MediaOptions> options)
{
    /// <summary>
    /// Renders the strip for a latent <paramref name="latent"/> of shape <paramref name="shape"/> ([16, F, H, W],
    /// normalised model space, i.e. what the sampling loop holds).
    /// </summary>
    public byte[] RenderStrip(ReadOnlySpan<float> latent, LatentVideoShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Channels != Wan21LatentRgbFactors.Channels)
        {
            throw new ArgumentException($"The Wan 2.1 preview factors need {Wan21LatentRgbFactors.Channels} latent channels, not {shape.Channels}.", nameof(shape));
        }

        if (shape.Frames <= 0 || shape.Height <= 0 || shape.Width <= 0)
        {
            throw new ArgumentException($"Latent shape {shape} has an empty dimension.", nameof(shape));
        }

        if (latent.Length != shape.ElementCount)
        {
            throw new ArgumentException($"A latent of shape {shape} has {shape.ElementCount} values; got {latent.Length}.", nameof(latent));
        }

        var settings = options.Value;
        var frames = PickFrames(shape.Frames, settings.PreviewStripFrames);
        var stripWidth = shape.Width * frames.Length;
        var rgba = new byte[stripWidth * shape.Height * 4];
        for (var slot = 0; slot < frames.Length; slot++)
        {
            Project(latent, shape, frames[slot], rgba, stripWidth, slot * shape.Width);
        }

        var info = new SKImageInfo(stripWidth, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var strip = SKImage.FromPixelCopy(info, rgba, stripWidth * 4)
            ?? throw new InvalidOperationException("Skia could not wrap the preview strip.");
        if (settings.PreviewScale == 1)
        {
            return RgbImages.Encode(strip, ImageEncoding.Jpeg, settings.PreviewJpegQuality);
        }

        var scaled = new SKImageInfo(stripWidth * settings.PreviewScale, shape.Height * settings.PreviewScale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(scaled)
            ?? throw new InvalidOperationException("Skia could not create the preview surface.");
        RgbImages.DrawScaled(surface.Canvas, strip, SKRect.Create(scaled.Width, scaled.Height));
        using var snapshot = surface.Snapshot();
        return RgbImages.Encode(snapshot, ImageEncoding.Jpeg, settings.PreviewJpegQuality);
    }

    /// <summary>The latent frames a strip of <paramref name="wanted"/> slots shows (first and last included).</summary>
    public static int[] PickFrames(int frameCount, int wanted)
    {
        var count = Math.Min(frameCount, wanted);
        var picks = new int[count];
        for (var k = 0; k < count; k++)
        {
            picks[k] = count == 1 ? 0 : (int)Math.Round((double)k * (frameCount - 1) / (count - 1), MidpointRounding.AwayFromZero);
        }

        return picks;
    }

    private static void Project(ReadOnlySpan<float> latent, LatentVideoShape shape, int frame, byte[] rgba, int stripWidth, int left)
    {
        var weights = Wan21LatentRgbFactors.Weights;
        var bias = Wan21LatentRgbFactors.Bias;
        var plane = shape.Height * shape.Width;
        var channelStride = (long)shape.Frames * plane;
        var frameOffset = (long)frame * plane;
        for (var p = 0; p < plane; p++)
        {
            float r = bias[0], g = bias[1], b = bias[2];
            for (var c = 0; c < Wan21LatentRgbFactors.Channels; c++)
            {
                var value = latent[(int)(c * channelStride + frameOffset + p)];
                r += value * weights[c * 3];
                g += value * weights[c * 3 + 1];
                b += value * weights[c * 3 + 2];
            }

            var y = p / shape.Width;
            var x = p % shape.Width;
            var d = (y * stripWidth + left + x) * 4;
            rgba[d] = ToByte(r);
            rgba[d + 1] = ToByte(g);
            rgba[d + 2] = ToByte(b);
            rgba[d + 3] = 255;
        }
    }

    private static byte ToByte(float value) =>
        (byte)MathF.Round((Math.Clamp(value, -1f, 1f) + 1f) * 127.5f);
}
