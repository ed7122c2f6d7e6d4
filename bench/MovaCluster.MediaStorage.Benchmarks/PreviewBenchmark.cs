using Microsoft.Extensions.Options;
using MovaCluster.Media;
using MovaCluster.Media.Previews;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>One step's previews at MOVA-360p: video latent [16, 49, 44, 80] and audio latent [128, 403].</summary>
internal static class PreviewBenchmark
{
    public static void Run()
    {
        var random = new Random(3);
        var shape = new LatentVideoShape(16, 49, 44, 80);
        var video = new float[shape.ElementCount];
        for (var i = 0; i < video.Length; i++)
        {
            video[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var audio = new float[128 * 403];
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = (float)((random.NextDouble() * 2) - 1);
        }

        foreach (var shapeAt in new[] { shape, new LatentVideoShape(16, 49, 90, 160) })
        {
            var latent = shapeAt == shape ? video : new float[shapeAt.ElementCount];
            var renderer = new LatentPreviewRenderer(Options.Create(new MediaOptions()));
            byte[] jpeg = [];
            var strip = Timing.Median(50, () => jpeg = renderer.RenderStrip(latent, shapeAt));
            Console.WriteLine($"preview strip (4 frames of {shapeAt.Height}x{shapeAt.Width} latent, x2, JPEG q75): median {strip.TotalMilliseconds:F2} ms, {jpeg.Length / 1024.0:F1} KiB");
        }

        var envelope = Timing.Median(200, () => AudioLatentPreview.Envelope(audio, 128, 403));
        Console.WriteLine($"audio envelope [128, 403]: median {envelope.TotalMilliseconds * 1000:F0} us");
    }
}
