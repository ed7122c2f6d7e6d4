using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Media;
using MovaCluster.Media.Imaging;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Variants;
using MovaCluster.Testing;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>MOVA-360p output: 193 frames at 352x640 (24 fps) plus 386,880 samples (8.06 s) of 48 kHz audio.</summary>
internal static class MuxBenchmark
{
    public static async Task RunAsync()
    {
        var audio = new float[386_880];
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = 0.3f * (float)Math.Sin(2 * Math.PI * 220 * i / 48_000);
        }

        var work = Directory.CreateTempSubdirectory("mova-bench-mux-");
        try
        {
            foreach (var noise in new[] { 0, 4, 16 })
            {
                var frames = await BenchmarkFrames.PrerenderAsync(BenchmarkFrames.Create(640, 352, 193, noise));
                foreach (var preset in new[] { "ultrafast", "superfast", "veryfast", "medium" })
                {
                    var options = Options.Create(new MediaOptions { FfmpegFolder = FfmpegTools.BinaryFolder, VideoPreset = preset });
                    var muxer = new ClipMuxer(new FfmpegBinaries(options), options, NullLogger<ClipMuxer>.Instance);
                    var path = Path.Combine(work.FullName, $"{preset}-{noise}.mp4");
                    var cpuBefore = ChildCpuTime.Total();
                    var median = await Timing.MedianAsync(3, () => muxer.MuxAsync(new ClipMuxRequest(frames, 24, audio), path, CancellationToken.None));
                    var ffmpegCpu = (ChildCpuTime.Total() - cpuBefore) / 4;
                    Console.WriteLine(
                        $"mux 193x640x352 + 8.06 s audio, CRF 5, preset {preset,-9}, noise +-{noise,-2}: median {median.TotalSeconds:F2} s wall, " +
                        $"ffmpeg CPU {ffmpegCpu.TotalSeconds:F2} s per mux (/2 cores = {ffmpegCpu.TotalSeconds / 2:F2} s), file {new FileInfo(path).Length / 1e6:F1} MB");
                }

                var variants = new ClipVariants(Options.Create(new MediaOptions()));
                var thumbnail = await Timing.MedianAsync(5, () => variants.CreateThumbnailAsync(frames, 96, ImageEncoding.Jpeg, CancellationToken.None));
                var webp = await Timing.MedianAsync(5, () => variants.CreateThumbnailAsync(frames, 96, ImageEncoding.WebP, CancellationToken.None));
                var sheet = await Timing.MedianAsync(5, () => variants.CreateSpritesheetAsync(frames, new SpritesheetLayout(), ImageEncoding.Jpeg, CancellationToken.None));
                Console.WriteLine($"variants (noise +-{noise}): thumbnail JPEG {thumbnail.TotalMilliseconds:F1} ms, WebP {webp.TotalMilliseconds:F1} ms, 5x5 spritesheet JPEG {sheet.TotalMilliseconds:F1} ms");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
