using FFMpegCore.Pipes;

namespace MovaCluster.Media.Pipes;

/// <summary>
/// Reads ffmpeg's raw output in fixed-size records (one video frame, or one block of samples) and hands each to a
/// callback, reusing one buffer; a short final record is passed on as it is.
/// </summary>
internal sealed class FixedSizeRecordPipeSink(
    string streamArguments,
    int recordBytes,
    Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onRecord) : IPipeSink
{
    public string GetStreamArguments() => streamArguments;

    public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
    {
        var buffer = new byte[recordBytes];
        while (true)
        {
            var filled = await inputStream.ReadAtLeastAsync(buffer, recordBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled > 0)
            {
                await onRecord(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
            }

            if (filled < recordBytes)
            {
                return;
            }
        }
    }
}
