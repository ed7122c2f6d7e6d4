using MovaCluster.Media.Frames;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>
/// Stand-ins for decoded MOVA frames: smooth moving colour fields plus per-pixel noise of a chosen amplitude. Noise
/// is what makes CRF 5 expensive: the encoder keeps it, so it writes (and entropy-codes) far more bits.
/// </summary>
internal static class BenchmarkFrames
{
    public static IRgbFrameSource Create(int width, int height, int frames, int noiseAmplitude)
    {
        var noise = new byte[width * height * 3];
        new Random(1).NextBytes(noise);
        return new GeneratedRgbFrames(width, height, frames, (index, destination, _) =>
        {
            var span = destination.Span;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var p = ((y * width) + x) * 3;
                    var r = 128 + (100 * Math.Sin((x + (index * 3)) / 40.0));
                    var g = 128 + (100 * Math.Sin((y - (index * 2)) / 30.0));
                    var b = 128 + (60 * Math.Sin((x + y + index) / 50.0));
                    var jitter = noiseAmplitude == 0 ? 0 : (noise[(p + (index * 7)) % noise.Length] % ((2 * noiseAmplitude) + 1)) - noiseAmplitude;
                    span[p] = (byte)Math.Clamp(r + jitter, 0, 255);
                    span[p + 1] = (byte)Math.Clamp(g + jitter, 0, 255);
                    span[p + 2] = (byte)Math.Clamp(b + jitter, 0, 255);
                }
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Frames rendered once and kept, so that timing measures the mux and not the rendering.</summary>
    public static async Task<IRgbFrameSource> PrerenderAsync(IRgbFrameSource source)
    {
        var frames = new List<ReadOnlyMemory<byte>>(source.FrameCount);
        for (var i = 0; i < source.FrameCount; i++)
        {
            var frame = new byte[source.BytesPerFrame()];
            await source.CopyFrameAsync(i, frame, CancellationToken.None);
            frames.Add(frame);
        }

        return new InMemoryRgbFrames(source.Width, source.Height, frames);
    }
}
