using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MovaCluster.Model.Pipeline;

namespace MovaCluster.Execution.Publishing;

/// <summary>
/// Stores the decoded output without encoding it: a length-prefixed JSON header, the RGB24 frames, then the fp32
/// audio samples, in a local folder. Used when no MP4 muxer and clip store are wired in; the bytes are a pure
/// function of the output, which is what the resume-equivalence tests compare.
/// </summary>
public sealed class RawClipPublisher(IOptions<RawClipPublisherOptions> options) : IClipPublisher
{
    public const string ContentType = "application/x-mova-raw";

    public async Task<PublishedClip> PublishAsync(
        ClipPublication clip, GenerationOutput output, Action<GenerationPhase> onPhase, CancellationToken cancellationToken)
    {
        onPhase(GenerationPhase.Muxing);
        var bytes = Encode(output);
        onPhase(GenerationPhase.Uploading);
        Directory.CreateDirectory(options.Value.Directory);
        var key = $"{clip.JobId}.movaraw";
        await File.WriteAllBytesAsync(Path.Combine(options.Value.Directory, key), bytes, cancellationToken).ConfigureAwait(false);
        return new PublishedClip(key, ContentType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public static byte[] Encode(GenerationOutput output)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["width"] = output.Width,
            ["height"] = output.Height,
            ["frames"] = output.FrameCount,
            ["fps"] = output.FramesPerSecond,
            ["sampleRate"] = output.AudioSampleRate,
            ["channels"] = output.AudioChannels,
        });
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(header.Length);
            writer.Write(header);
            foreach (var frame in output.VideoFrames)
            {
                writer.Write(frame.Span);
            }

            writer.Write(MemoryMarshal.AsBytes(output.AudioSamples.AsSpan()));
        }

        return stream.ToArray();
    }
}
