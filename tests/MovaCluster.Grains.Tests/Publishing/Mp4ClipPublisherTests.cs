using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution;
using MovaCluster.Execution.Publishing;
using MovaCluster.Grains.Publishing;
using MovaCluster.Media;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Variants;
using MovaCluster.Model.Pipeline;
using MovaCluster.Storage;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Testing;
using SkiaSharp;

namespace MovaCluster.Grains.Tests.Publishing;

/// <summary>The publisher stores the MP4 and the OpenAI still variants (WebP thumbnail, JPEG spritesheet) of a clip.</summary>
public sealed class Mp4ClipPublisherTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 48;
    private const int Frames = 17;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mova-publisher-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalDiskClipStore _store;
    private readonly Mp4ClipPublisher _publisher;

    public Mp4ClipPublisherTests()
    {
        var media = Options.Create(new MediaOptions { FfmpegFolder = FfmpegTools.BinaryFolder });
        var storage = Options.Create(new StorageOptions { LocalDisk = { RootPath = _root } });
        _store = new LocalDiskClipStore(storage, TimeProvider.System, NullLogger<LocalDiskClipStore>.Instance);
        var muxer = new ClipMuxer(new FfmpegBinaries(media), media, NullLogger<ClipMuxer>.Instance);
        _publisher = new Mp4ClipPublisher(muxer, new ClipVariants(media), _store);
    }

    [Fact]
    public async Task Publishing_stores_the_video_a_webp_thumbnail_of_the_middle_frame_and_a_jpeg_spritesheet_of_every_frame()
    {
        var phases = new List<GenerationPhase>();
        var published = await _publisher.PublishAsync(new ClipPublication("job-1", "tenant-a", "mova-tiny", 7), Output(), phases.Add, CancellationToken.None);

        Assert.Equal([GenerationPhase.Muxing, GenerationPhase.Uploading], phases);
        var stored = await _store.ListAsync("tenant-a", CancellationToken.None);
        Assert.Equal(
            [("spritesheet.jpg", "image/jpeg"), ("thumbnail.webp", "image/webp"), ("video.mp4", "video/mp4")],
            stored.Select(clip => (clip.Name.Variant, clip.Metadata.ContentType)).Order());
        Assert.All(stored, clip => Assert.Equal(("job-1", "mova-tiny", 7L), (clip.Metadata.JobId, clip.Metadata.Model, clip.Metadata.Seed)));

        var video = await ReadAsync("video.mp4");
        Assert.Equal(new ClipObjectName("tenant-a", "job-1", "video.mp4").Key, published.Key);
        Assert.Equal("video/mp4", published.ContentType);
        Assert.Equal(video.LongLength, published.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(video)), published.Sha256);

        using var thumbnail = Decode(await ReadAsync("thumbnail.webp"), SKEncodedImageFormat.Webp, Width, Height);
        AssertColour(FrameColour(Mp4ClipPublisher.ThumbnailFrame(Frames)), thumbnail.GetPixel(Width / 2, Height / 2));

        // 5x5 tiles of the frame's own size (the clip is narrower than 160 px); 17 frames fill the first 17 tiles.
        using var sheet = Decode(await ReadAsync("spritesheet.jpg"), SKEncodedImageFormat.Jpeg, 5 * Width, 5 * Height);
        for (var tile = 0; tile < 25; tile++)
        {
            var centre = sheet.GetPixel((tile % 5 * Width) + (Width / 2), (tile / 5 * Height) + (Height / 2));
            AssertColour(tile < Frames ? FrameColour(tile) : SKColors.Black, centre);
        }
    }

    [Fact]
    public void Wide_clips_get_160_pixel_tiles_and_narrow_ones_keep_their_width()
    {
        Assert.Equal(new SpritesheetLayout(5, 5, 160), Mp4ClipPublisher.SpritesheetLayoutFor(640));
        Assert.Equal(new SpritesheetLayout(5, 5, 64), Mp4ClipPublisher.SpritesheetLayoutFor(64));
        Assert.Equal(96, Mp4ClipPublisher.ThumbnailFrame(193));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static GenerationOutput Output()
    {
        var rgb = new byte[Frames * Width * Height * 3];
        for (var frame = 0; frame < Frames; frame++)
        {
            var colour = FrameColour(frame);
            for (var pixel = 0; pixel < Width * Height; pixel++)
            {
                var offset = ((frame * Width * Height) + pixel) * 3;
                (rgb[offset], rgb[offset + 1], rgb[offset + 2]) = (colour.Red, colour.Green, colour.Blue);
            }
        }

        var samples = new float[Frames * 6000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.25f * MathF.Sin(i * 0.05f);
        }

        return new GenerationOutput
        {
            Width = Width,
            Height = Height,
            FramesPerSecond = 8,
            VideoFrames = GenerationOutput.FramesOf(rgb, Width, Height),
            AudioSamples = samples,
            AudioSampleRate = 48_000,
            AudioChannels = 1,
        };
    }

    /// <summary>A distinct flat colour per frame, so each tile and the thumbnail show which frame they hold.</summary>
    private static SKColor FrameColour(int frame) => new((byte)(20 + (frame * 13)), (byte)(235 - (frame * 13)), (byte)(frame % 2 == 0 ? 60 : 190));

    private static void AssertColour(SKColor expected, SKColor actual)
    {
        var close = Math.Abs(expected.Red - actual.Red) <= 12 && Math.Abs(expected.Green - actual.Green) <= 12 && Math.Abs(expected.Blue - actual.Blue) <= 12;
        Assert.True(close, $"expected about {expected}, got {actual}");
    }

    private static SKBitmap Decode(byte[] bytes, SKEncodedImageFormat format, int width, int height)
    {
        using (var codec = SKCodec.Create(new MemoryStream(bytes)))
        {
            Assert.NotNull(codec);
            Assert.Equal(format, codec.EncodedFormat);
            Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
        }

        return SKBitmap.Decode(bytes) ?? throw new InvalidDataException($"Could not decode the {format} image.");
    }

    private async Task<byte[]> ReadAsync(string variant)
    {
        await using var stream = await _store.OpenReadAsync(new ClipObjectName("tenant-a", "job-1", variant), null, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
