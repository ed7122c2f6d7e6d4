using System.Buffers;
using System.Globalization;
using FFMpegCore.Pipes;
using MovaCluster.Media.Frames;

namespace MovaCluster.Media.Pipes;

/// <summary>Feeds the first <paramref name="frameCount"/> frames of a source to ffmpeg as raw rgb24 video, one reused frame buffer at a time.</summary>
internal sealed class RgbFramePipeSource(IRgbFrameSource frames, int frameCount, double frameRate) : IPipeSource
{
    /// <summary>Frames written so far.</summary>
    public int FramesWritten { get; private set; }

    public string GetStreamArguments() => string.Create(
        CultureInfo.InvariantCulture,
        $"-f rawvideo -pix_fmt rgb24 -video_size {frames.Width}x{frames.Height} -framerate {frameRate:R}");

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        var size = frames.BytesPerFrame();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var frame = buffer.AsMemory(0, size);
            for (var i = 0; i < frameCount; i++)
            {
                await frames.CopyFrameAsync(i, frame, cancellationToken).ConfigureAwait(false);
                await outputStream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                FramesWritten = i + 1;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
