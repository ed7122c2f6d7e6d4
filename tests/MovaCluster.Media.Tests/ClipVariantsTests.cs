using MovaCluster.Media.Imaging;
using MovaCluster.Media.Variants;
using SkiaSharp;

namespace MovaCluster.Media.Tests;

public sealed class ClipVariantsTests
{
    private readonly MediaTestServices _media = new();

    [Theory]
    [InlineData(ImageEncoding.Jpeg)]
    [InlineData(ImageEncoding.WebP)]
    public async Task Thumbnail_is_the_chosen_frame_at_full_size(ImageEncoding encoding)
    {
        var frames = SyntheticClips.Solid(320, 176, 30);

        var bytes = await _media.Variants.CreateThumbnailAsync(frames, 11, encoding, CancellationToken.None);

        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        Assert.Equal(encoding == ImageEncoding.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp, codec.EncodedFormat);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.Equal((320, 176), (bitmap.Width, bitmap.Height));
        AssertColourNear(SyntheticClips.SolidColour(11), bitmap.GetPixel(160, 88));
    }

    [Fact]
    public async Task Thumbnail_of_a_frame_outside_the_clip_is_refused()
    {
        var frames = SyntheticClips.Solid(160, 96, 4);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _media.Variants.CreateThumbnailAsync(frames, 4, ImageEncoding.Jpeg, CancellationToken.None));
    }

    [Fact]
    public async Task Spritesheet_is_a_grid_of_evenly_spaced_frames()
    {
        var frames = SyntheticClips.Solid(320, 176, 193);
        var layout = new SpritesheetLayout(Columns: 4, Rows: 3, TileWidth: 80);

        var bytes = await _media.Variants.CreateSpritesheetAsync(frames, layout, ImageEncoding.Jpeg, CancellationToken.None);

        using var bitmap = SKBitmap.Decode(bytes);
        Assert.Equal((320, 3 * 44), (bitmap.Width, bitmap.Height));
        var indices = ClipVariants.EvenlySpacedFrames(193, 12);
        Assert.Equal(0, indices[0]);
        Assert.Equal(192, indices[^1]);
        for (var tile = 0; tile < 12; tile++)
        {
            var x = (tile % 4 * 80) + 40;
            var y = (tile / 4 * 44) + 22;
            AssertColourNear(SyntheticClips.SolidColour(indices[tile]), bitmap.GetPixel(x, y));
        }
    }

    [Fact]
    public void Evenly_spaced_frames_never_repeat_when_the_clip_is_short()
    {
        Assert.Equal([0, 1, 2], ClipVariants.EvenlySpacedFrames(3, 25));
        Assert.Equal([0, 48, 96, 144, 192], ClipVariants.EvenlySpacedFrames(193, 5));
    }

    private static void AssertColourNear((byte R, byte G, byte B) expected, SKColor actual)
    {
        Assert.InRange(actual.Red, expected.R - 6, expected.R + 6);
        Assert.InRange(actual.Green, expected.G - 6, expected.G + 6);
        Assert.InRange(actual.Blue, expected.B - 6, expected.B + 6);
    }
}
