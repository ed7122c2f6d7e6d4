using System.Buffers;
using Microsoft.Extensions.Options;
using MovaCluster.Media.Frames;
using MovaCluster.Media.Imaging;
using SkiaSharp;

namespace MovaCluster.Media.Variants;

/// <summary>
/// The still-image variants of a clip, named as in the OpenAI videos API: <c>thumbnail</c> (one chosen frame) and
/// <c>spritesheet</c> (a grid of evenly spaced frames, for scrub bars).
/// </summary>
public sealed class ClipVariants(IOptions<MediaOptions> options)
{
    /// <summary>Encodes frame <paramref name="frameIndex"/> at full size.</summary>
    public async Task<byte[]> CreateThumbnailAsync(IRgbFrameSource frames, int frameIndex, ImageEncoding encoding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frameIndex < 0 || frameIndex >= frames.FrameCount)
        {
            throw new ArgumentOutOfRangeException(nameof(frameIndex), frameIndex, $"The clip has {frames.FrameCount} frames.");
        }

        var size = frames.BytesPerFrame();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            await frames.CopyFrameAsync(frameIndex, buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            using var image = RgbImages.FromRgb(buffer.AsSpan(0, size), frames.Width, frames.Height);
            return RgbImages.Encode(image, encoding, options.Value.ImageQuality);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Draws <see cref="SpritesheetLayout.TileCount"/> evenly spaced frames (first and last included) row by row;
    /// a clip with fewer frames than tiles leaves the remaining tiles black.
    /// </summary>
    public async Task<byte[]> CreateSpritesheetAsync(IRgbFrameSource frames, SpritesheetLayout layout, ImageEncoding encoding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(layout);
        layout.Validate();
        if (frames.FrameCount == 0)
        {
            throw new ArgumentException("A spritesheet needs at least one frame.", nameof(frames));
        }

        var tileHeight = Math.Max(1, (int)Math.Round((double)layout.TileWidth * frames.Height / frames.Width));
        var info = new SKImageInfo(layout.Columns * layout.TileWidth, layout.Rows * tileHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Skia could not create a {info.Width}x{info.Height} surface.");
        surface.Canvas.Clear(SKColors.Black);

        var size = frames.BytesPerFrame();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var indices = EvenlySpacedFrames(frames.FrameCount, layout.TileCount);
            for (var tile = 0; tile < indices.Count; tile++)
            {
                await frames.CopyFrameAsync(indices[tile], buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                using var image = RgbImages.FromRgb(buffer.AsSpan(0, size), frames.Width, frames.Height);
                var left = tile % layout.Columns * layout.TileWidth;
                var top = tile / layout.Columns * tileHeight;
                RgbImages.DrawScaled(surface.Canvas, image, SKRect.Create(left, top, layout.TileWidth, tileHeight));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        using var sheet = surface.Snapshot();
        return RgbImages.Encode(sheet, encoding, options.Value.ImageQuality);
    }

    /// <summary>
    /// Frame indices for <paramref name="tiles"/> tiles spread over <paramref name="frameCount"/> frames, first and
    /// last included; at most one tile per frame.
    /// </summary>
    public static IReadOnlyList<int> EvenlySpacedFrames(int frameCount, int tiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tiles);
        var count = Math.Min(frameCount, tiles);
        if (count == 1)
        {
            return [0];
        }

        var indices = new int[count];
        for (var k = 0; k < count; k++)
        {
            indices[k] = (int)Math.Round((double)k * (frameCount - 1) / (count - 1), MidpointRounding.AwayFromZero);
        }

        return indices;
    }
}
