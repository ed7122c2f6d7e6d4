using System.Security.Cryptography;
using MovaCluster.Media.Frames;
using MovaCluster.Media.Muxing;
using MovaCluster.Model.Execution;
using MovaCluster.Storage;

namespace MovaCluster.Grains.Publishing;

/// <summary>
/// Muxes the decoded frames and audio into an MP4 (fixed encoder settings, so equal output gives equal bytes) and
/// uploads it to the clip store as the clip's <see cref="Variant"/>.
/// </summary>
public sealed class Mp4ClipPublisher(IClipMuxer muxer, IClipStore store) : IClipPublisher
{
    public const string Variant = "video.mp4";

    public async Task<PublishedClip> PublishAsync(
        ClipPublication clip, GenerationOutput output, Action<GenerationPhase> onPhase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(output);
        var path = Path.Combine(Path.GetTempPath(), $"mova-{clip.JobId}-{Guid.NewGuid():N}.mp4");
        try
        {
            onPhase(GenerationPhase.Muxing);
            var frames = Enumerable.Range(0, output.FrameCount)
                .Select(index => (ReadOnlyMemory<byte>)output.VideoRgb24.AsMemory(index * output.Width * output.Height * 3, output.Width * output.Height * 3))
                .ToList();
            var request = new ClipMuxRequest(
                new InMemoryRgbFrames(output.Width, output.Height, frames), output.FramesPerSecond, MonoAudio(output), output.AudioSampleRate);
            await muxer.MuxAsync(request, path, cancellationToken).ConfigureAwait(false);

            onPhase(GenerationPhase.Uploading);
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var name = new ClipObjectName(clip.TenantId, clip.JobId, Variant);
            var metadata = new ClipMetadata(clip.JobId, clip.ModelName, clip.Seed, TimeSpan.FromSeconds(output.FrameCount / output.FramesPerSecond));
            using var content = new MemoryStream(bytes, writable: false);
            var stored = await store.PutAsync(name, content, metadata, cancellationToken).ConfigureAwait(false);
            return new PublishedClip(stored.Name.Key, metadata.ContentType, stored.Size, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        finally
        {
            File.Delete(path);
        }
    }

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
