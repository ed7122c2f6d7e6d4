using System.Text.Json;
using Microsoft.Extensions.Options;
using MovaCluster.Model.Imaging;
using SkiaSharp;
using TorchSharp;

namespace MovaCluster.Model.Tests.Imaging;

public sealed class ReferenceImageLoaderTests
{
    private static readonly string DataFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "pillow-bicubic");

    private static ReferenceImageLoader Loader(ReferenceImageOptions? options = null) =>
        new(Options.Create(options ?? new ReferenceImageOptions()));

    [Fact]
    public void Crop_and_bicubic_resize_match_pillow_byte_for_byte_in_every_case()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataFolder, "manifest.json")));
        var cases = manifest.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(4, cases.Count);
        foreach (var entry in cases)
        {
            string name = entry.GetProperty("name").GetString()!;
            int width = entry.GetProperty("target_width").GetInt32();
            int height = entry.GetProperty("target_height").GetInt32();
            byte[] png = File.ReadAllBytes(Path.Combine(DataFolder, name + ".png"));
            byte[] expected = File.ReadAllBytes(Path.Combine(DataFolder, name + ".rgb"));

            byte[] actual = Loader().PrepareRgb(png, width, height);

            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}: differs from Pillow");
        }
    }

    [Theory]
    [InlineData(1920, 1080, 640, 352, 0, 12, 1920, 1056)]
    [InlineData(1000, 1000, 640, 352, 0, 225, 1000, 550)]
    [InlineData(1000, 1000, 352, 640, 225, 0, 550, 1000)]
    [InlineData(1280, 720, 1280, 720, 0, 0, 1280, 720)]
    [InlineData(1, 1, 64, 48, 0, 0, 1, 1)]
    [InlineData(3, 1, 48, 64, 1, 0, 1, 1)]
    public void Crop_box_follows_mova_crop_and_resize(int w, int h, int tw, int th, int left, int top, int cw, int ch)
    {
        Assert.Equal(new CropBox(left, top, cw, ch), CropBox.CenterForAspect(w, h, tw, th));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 0)]
    [InlineData(SKEncodedImageFormat.Jpeg, 12)]
    [InlineData(SKEncodedImageFormat.Webp, 12)]
    public void Png_jpeg_and_webp_decode_to_the_source_pixels(SKEncodedImageFormat format, int tolerance)
    {
        var (encoded, source) = Encode(format, 40, 24);

        var (rgb, width, height) = Loader().DecodeRgb(encoded);

        Assert.Equal((40, 24), (width, height));
        int worst = rgb.Zip(source).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= tolerance, $"{format}: worst channel error {worst}");
    }

    [Fact]
    public void A_one_pixel_image_fills_the_frame_with_its_colour()
    {
        var (encoded, source) = Encode(SKEncodedImageFormat.Png, 1, 1);

        var rgb = Loader().PrepareRgb(encoded, 64, 48);

        Assert.Equal(64 * 48 * 3, rgb.Length);
        Assert.All(Enumerable.Range(0, 64 * 48), p => Assert.Equal(source, rgb[(p * 3)..((p * 3) + 3)]));
    }

    [Fact]
    public void Tensor_is_rgb_chw_scaled_to_minus_one_one()
    {
        var (encoded, source) = Encode(SKEncodedImageFormat.Png, 32, 16);

        using var image = Loader().Load(encoded, 32, 16, torch.CPU);

        Assert.Equal(new long[] { 1, 3, 16, 32 }, image.shape);
        // Pixel (x=5, y=3), green channel.
        float expected = (source[((3 * 32) + 5) * 3 + 1] / 255f * 2f) - 1f;
        Assert.Equal(expected, image[0, 1, 3, 5].item<float>());
        Assert.InRange(image.min().item<float>(), -1f, 1f);
        Assert.InRange(image.max().item<float>(), -1f, 1f);
    }

    [Fact]
    public void Corrupt_data_is_a_clear_error()
    {
        var (encoded, _) = Encode(SKEncodedImageFormat.Png, 32, 32);
        var truncated = encoded[..(encoded.Length / 2)];
        var garbage = Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray();

        var error = Assert.Throws<InvalidReferenceImageException>(() => Loader().DecodeRgb(garbage));
        Assert.Contains("not a readable", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidReferenceImageException>(() => Loader().DecodeRgb(truncated));
        Assert.Throws<InvalidReferenceImageException>(() => Loader().DecodeRgb([]));
    }

    [Fact]
    public void Oversized_images_are_refused_before_decoding()
    {
        var (encoded, _) = Encode(SKEncodedImageFormat.Png, 64, 64);

        var pixels = Assert.Throws<InvalidReferenceImageException>(
            () => Loader(new ReferenceImageOptions { MaxPixels = 64 * 63 }).DecodeRgb(encoded));
        var bytes = Assert.Throws<InvalidReferenceImageException>(
            () => Loader(new ReferenceImageOptions { MaxEncodedBytes = 100 }).DecodeRgb(encoded));

        Assert.Contains("64x64", pixels.Message, StringComparison.Ordinal);
        Assert.Contains("limit", bytes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_validation_reports_every_problem()
    {
        var result = new ReferenceImageOptionsValidator().Validate(null, new ReferenceImageOptions { MaxPixels = 0, MaxEncodedBytes = -1 });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
    }

    private static (byte[] Encoded, byte[] Rgb) Encode(SKEncodedImageFormat format, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Smooth gradients keep lossy codecs close to the source.
                var color = new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x + y) * 2));
                bitmap.SetPixel(x, y, color);
                int o = ((y * width) + x) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = (color.Red, color.Green, color.Blue);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 100);
        return (data.ToArray(), rgb);
    }
}
