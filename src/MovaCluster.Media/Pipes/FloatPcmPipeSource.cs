using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using FFMpegCore.Pipes;

namespace MovaCluster.Media.Pipes;

/// <summary>
/// Feeds mono float samples to ffmpeg as f32le, clipped to [-1, 1] on the way as MOVA's reference does before it
/// writes its WAV (the decoder's output is not bounded, and NaN would poison the AAC encoder).
/// </summary>
internal sealed class FloatPcmPipeSource(ReadOnlyMemory<float> samples, int sampleRate) : IPipeSource
{
    private const int ChunkSamples = 16_384;

    public string GetStreamArguments() => string.Create(
        CultureInfo.InvariantCulture,
        $"-f f32le -ar {sampleRate} -ac 1");

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSamples * sizeof(float));
        try
        {
            for (var offset = 0; offset < samples.Length; offset += ChunkSamples)
            {
                var count = Math.Min(ChunkSamples, samples.Length - offset);
                Fill(samples.Span.Slice(offset, count), buffer);
                await outputStream.WriteAsync(buffer.AsMemory(0, count * sizeof(float)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Fill(ReadOnlySpan<float> chunk, Span<byte> destination)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            var value = chunk[i];
            value = float.IsNaN(value) ? 0f : Math.Clamp(value, -1f, 1f);
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * sizeof(float), sizeof(float)), value);
        }
    }
}
