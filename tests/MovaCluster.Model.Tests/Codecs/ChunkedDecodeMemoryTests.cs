using MovaCluster.Model.Codecs.Video;
using MovaCluster.Model.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Codecs;

[Collection(SerialMeasurements.Name)]
public sealed class ChunkedDecodeMemoryTests
{
    private readonly ITestOutputHelper _output;

    public ChunkedDecodeMemoryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Peak_resident_memory_of_a_chunked_decode_does_not_grow_with_the_frame_count()
    {
        using var vae = WanVideoVae.FromFolder(CodecGoldenSet.Component("video_vae"), torch.CPU);
        const int latentSize = 12;
        ProcessMemory.UseMmapForLargeAllocations();

        // Warm-up so kernels and thread pools exist before measuring.
        Measure(vae, 2, latentSize);
        // Alternate the sizes and keep each one's smallest reading: other threads (GC, test runner) add noise.
        var growth = new Dictionary<int, long> { [2] = long.MaxValue, [10] = long.MaxValue };
        for (int round = 0; round < 2; round++)
        {
            foreach (int latentFrames in new[] { 2, 10 })
            {
                long measured = Measure(vae, latentFrames, latentSize);
                growth[latentFrames] = Math.Min(growth[latentFrames], measured);
                _output.WriteLine($"T={latentFrames} ({1 + (4 * (latentFrames - 1))} frames): peak RSS growth {measured / 1e6:F1} MB");
            }
        }

        // A chunk's working set (activations, conv3d column buffers, caches) is what T=2 measures; a whole-clip pass
        // at T=10 (37 frames instead of 5) would need several times that, and any per-chunk leak adds up over 9 chunks.
        Assert.True(growth[10] <= (growth[2] * 1.25) + (8L << 20), $"peak growth {growth[10]} at T=10 vs {growth[2]} at T=2");
    }

    private static long Measure(WanVideoVae vae, int latentFrames, int latentSize)
    {
        using var latent = torch.randn([1, 16, latentFrames, latentSize, latentSize], generator: new torch.Generator(7));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = ProcessMemory.ResidentBytes;
        ProcessMemory.ResetPeak();
        long frames = 0;
        foreach (var chunk in vae.DecodeChunks(latent))
        {
            frames += chunk.shape[2];
            chunk.Dispose();
        }

        Assert.Equal(1 + (4 * (latentFrames - 1)), frames);
        return Math.Max(0, ProcessMemory.PeakResidentBytes - before);
    }
}
