using System.Security.Cryptography;
using MovaCluster.Execution;
using MovaCluster.Execution.Publishing;
using MovaCluster.Media.Frames;
using MovaCluster.Media.Imaging;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Variants;
using MovaCluster.Model.Pipeline;
using MovaCluster.Storage;

namespace MovaCluster.Grains.Publishing;

/// <summary>
/// Muxes the decoded frames and audio into an MP4 (fixed encoder settings, so equal output gives equal bytes) and
/// uploads it to the clip store as the clip's <see cref="Variant"/>, next to the still-image variants the OpenAI
/// videos API offers: a WebP thumbnail (<see cref="ThumbnailVariant"/>, what OpenAI serves for
/// <c>variant=thumbnail</c>) and a JPEG spritesheet (<see cref="SpritesheetVariant"/>, as OpenAI's
/// <c>variant=spritesheet</c>). The job completes only once all three are stored.
/// </summary>
public sealed class Mp4ClipPublisher(IClipMuxer muxer, ClipVariants variants, IClipStore store) : IClipPublisher
{
    public const string Variant = StandardVariants.Video;
    public const string ThumbnailVariant = StandardVariants.ThumbnailWebP;
    public const string SpritesheetVariant = StandardVariants.SpritesheetJpeg;

    private const int FileBufferSize = 1 << 16;

    /// <summary>Spritesheet grid: 5 x 5 tiles, 160 px wide (or the frame width, for clips narrower than that).</summary>
    public static SpritesheetLayout SpritesheetLayoutFor(int frameWidth) => new(5, 5, Math.Clamp(frameWidth, 8, 160));

    /// <summary>The thumbnail shows the middle frame: the first frame of an image-to-video clip is the input image.</summary>
    public static int ThumbnailFrame(int frameCount) => frameCount / 2;

    public async Task<PublishedClip> PublishAsync(
        ClipPublication clip, GenerationOutput output, Action<GenerationPhase> onPhase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(onPhase);
        var path = Path.Combine(Path.GetTempPath(), $"mova-{clip.JobId}-{Guid.NewGuid():N}.mp4");
        try
        {
            onPhase(GenerationPhase.Muxing);
            var frames = new InMemoryRgbFrames(output.Width, output.Height, output.VideoFrames);
            var request = new ClipMuxRequest(frames, output.FramesPerSecond, MonoAudio(output), output.AudioSampleRate);
            await muxer.MuxAsync(request, path, cancellationToken).ConfigureAwait(false);
            var thumbnail = await variants.CreateThumbnailAsync(frames, ThumbnailFrame(output.FrameCount), ImageEncoding.WebP, cancellationToken).ConfigureAwait(false);
            var spritesheet = await variants.CreateSpritesheetAsync(frames, SpritesheetLayoutFor(output.Width), ImageEncoding.Jpeg, cancellationToken).ConfigureAwait(false);

            onPhase(GenerationPhase.Uploading);
            var metadata = new ClipMetadata(clip.JobId, clip.ModelName, clip.Seed, TimeSpan.FromSeconds(output.FrameCount / output.FramesPerSecond));
            await PutAsync(clip, ThumbnailVariant, thumbnail, metadata with { ContentType = ImageEncoding.WebP.ContentType() }, cancellationToken).ConfigureAwait(false);
            await PutAsync(clip, SpritesheetVariant, spritesheet, metadata with { ContentType = ImageEncoding.Jpeg.ContentType() }, cancellationToken).ConfigureAwait(false);

            // The video streams from the muxed file (hashed in one pass, then uploaded from the start), so memory
            // stays bounded whatever the clip's length; it goes last: a stored video.mp4 means its variants are too.
            await using var video = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var sha256 = await SHA256.HashDataAsync(video, cancellationToken).ConfigureAwait(false);
            video.Position = 0;
            var stored = await PutAsync(clip, Variant, video, metadata, cancellationToken).ConfigureAwait(false);
            return new PublishedClip(stored.Name.Key, metadata.ContentType, stored.Size, Convert.ToHexStringLower(sha256));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task PutAsync(ClipPublication clip, string variant, byte[] bytes, ClipMetadata metadata, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await PutAsync(clip, variant, content, metadata, cancellationToken).ConfigureAwait(false);
    }

    private Task<StoredClip> PutAsync(ClipPublication clip, string variant, Stream content, ClipMetadata metadata, CancellationToken cancellationToken) =>
        store.PutAsync(new ClipObjectName(clip.TenantId, clip.JobId, variant), content, metadata, cancellationToken);

    /// <summary>MOVA's track is mono; multi-channel output is averaged down to it.</summary>
    private static float[] MonoAudio(GenerationOutput output)
    {
        if (output.AudioChannels == 1)
        {
            return output.AudioSamples;
        }

        var mono = new float[output.AudioSamples.Length / output.AudioChannels];
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0f;
            for (var c = 0; c < output.AudioChannels; c++)
            {
                sum += output.AudioSamples[(i * output.AudioChannels) + c];
            }

            mono[i] = sum / output.AudioChannels;
        }

        return mono;
    }
}
