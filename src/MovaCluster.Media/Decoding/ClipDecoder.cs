using System.Buffers.Binary;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;
using MovaCluster.Media.Frames;
using MovaCluster.Media.Pipes;

namespace MovaCluster.Media.Decoding;

/// <summary>
/// Decodes a stored clip back to packed RGB frames and mono float PCM, streaming through ffmpeg pipes (used for
/// variants of an existing clip and to check what the muxer wrote).
/// </summary>
public sealed class ClipDecoder(FfmpegBinaries binaries)
{
    private const int AudioBlockSamples = 8_192;

    /// <summary>
    /// Calls <paramref name="onFrame"/> with the index and rgb24 bytes of every frame of the first video stream, in
    /// order; the memory is reused after the callback returns. Returns the frame count.
    /// </summary>
    public async Task<int> ReadFramesAsync(string path, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onFrame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var (width, height) = await ProbeFrameSizeAsync(path, cancellationToken).ConfigureAwait(false);
        var frameBytes = RgbFrameSize.BytesPerFrame(width, height);
        var index = 0;
        var sink = new FixedSizeRecordPipeSink("-f rawvideo -pix_fmt rgb24", frameBytes, async (frame, token) =>
        {
            if (frame.Length != frameBytes)
            {
                throw new MediaProcessingException($"ffmpeg produced a partial frame ({frame.Length} of {frameBytes} bytes) from '{path}'.");
            }

            await onFrame(index, frame, token).ConfigureAwait(false);
            index++;
        });
        await RunAsync(path, sink, "-map 0:v:0 -vsync passthrough", cancellationToken).ConfigureAwait(false);
        return index;
    }

    /// <summary>Decodes the first audio stream to mono float samples at <paramref name="sampleRate"/>.</summary>
    public async Task<float[]> ReadAudioAsync(string path, int sampleRate, CancellationToken cancellationToken)
    {
        var samples = new List<float>();
        var sink = new FixedSizeRecordPipeSink("-f f32le", AudioBlockSamples * sizeof(float), (block, _) =>
        {
            var span = block.Span;
            for (var i = 0; i + sizeof(float) <= span.Length; i += sizeof(float))
            {
                samples.Add(BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i, sizeof(float))));
            }

            return ValueTask.CompletedTask;
        });
        await RunAsync(path, sink, string.Create(CultureInfo.InvariantCulture, $"-map 0:a:0 -ac 1 -ar {sampleRate}"), cancellationToken).ConfigureAwait(false);
        return [.. samples];
    }

    private async Task<(int Width, int Height)> ProbeFrameSizeAsync(string path, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, binaries.Create(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (FFMpegException ex)
        {
            throw new MediaProcessingException($"ffprobe could not read '{path}'.", ex);
        }

        var stream = analysis.PrimaryVideoStream
            ?? throw new MediaProcessingException($"'{path}' has no video stream.");
        return (stream.Width ?? 0, stream.Height ?? 0);
    }

    private async Task RunAsync(string path, FixedSizeRecordPipeSink sink, string outputArguments, CancellationToken cancellationToken)
    {
        var errors = new FfmpegErrorText();
        try
        {
            await FFMpegArguments
                .FromFileInput(path)
                .OutputToPipe(sink, output => output.WithCustomArgument(outputArguments))
                .NotifyOnStandardError(errors.Add)
                .ProcessAsynchronously(throwOnError: true, binaries.Create(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (FFMpegException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new MediaProcessingException($"ffmpeg could not decode '{path}': {errors}", ex);
        }
    }
}
