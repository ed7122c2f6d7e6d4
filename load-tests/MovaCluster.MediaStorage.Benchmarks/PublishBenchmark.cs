using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution;
using MovaCluster.Execution.Publishing;
using MovaCluster.Grains.Publishing;
using MovaCluster.Media;
using MovaCluster.Media.Muxing;
using MovaCluster.Media.Variants;
using MovaCluster.Storage;
using MovaCluster.Storage.LocalDisk;
using MovaCluster.Storage.Retries;
using MovaCluster.Storage.S3;
using MovaCluster.Testing;

namespace MovaCluster.MediaStorage.Benchmarks;

/// <summary>
/// Memory of publishing one MOVA-360p clip (193 frames at 352x640 plus 8 s of 48 kHz audio: mux, thumbnail,
/// spritesheet, upload) with <see cref="Mp4ClipPublisher"/>, and of a clip twice as long (385 frames) to show
/// whether it grows with the clip: the peak RSS of a fresh process while it publishes, above its RSS just before
/// (the decoded frames are resident in both; ffmpeg is a child process and not counted). Each run is its own
/// process, because a managed heap keeps memory it once grew to.
/// </summary>
internal static class PublishBenchmark
{
    private const int Runs = 3;

    public static async Task RunAsync()
    {
        await using var server = await S3Server.StartAsync();
        foreach (var (store, frames) in new[] { ("s3", 193), ("s3", 385), ("disk", 193), ("disk", 385) })
        {
            var growth = new List<double>();
            var size = 0.0;
            for (var run = 0; run < Runs; run++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
                start.ArgumentList.Add(typeof(PublishBenchmark).Assembly.Location);
                start.ArgumentList.Add("publish-once");
                start.ArgumentList.Add(store);
                start.ArgumentList.Add(frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
                start.Environment["S3_ENDPOINT"] = server.Endpoint;
                start.Environment["S3_ACCESS_KEY"] = server.AccessKey;
                start.Environment["S3_SECRET_KEY"] = server.SecretKey;
                start.Environment["S3_REGION"] = server.Region;
                using var child = Process.Start(start)!;
                var result = (await child.StandardOutput.ReadToEndAsync()).Trim().Split('\n')[^1].Split(' ');
                await child.WaitForExitAsync();
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException($"publish-once {store} exited with {child.ExitCode}.");
                }

                growth.Add((long.Parse(result[1]) - long.Parse(result[0])) / 1048576.0);
                size = long.Parse(result[2]) / 1e6;
            }

            Console.WriteLine(
                $"publish {frames}x640x352 + {frames / 24.0:F2} s audio (noise +-16, MP4 {size:F1} MB) to {(store == "s3" ? "S3 (Swift)" : "local disk")}: " +
                $"peak RSS above the pre-publish RSS {string.Join(" / ", growth.Select(g => g.ToString("F1")))} MiB ({Runs} fresh processes)");
        }
    }

    /// <summary>One measured publish in this process; prints "rss-before peak-rss mp4-bytes".</summary>
    public static async Task RunOnceAsync(string storeName, int frameCount)
    {
        var media = Options.Create(new MediaOptions { FfmpegFolder = FfmpegTools.BinaryFolder });
        var muxer = new ClipMuxer(new FfmpegBinaries(media), media, NullLogger<ClipMuxer>.Instance);
        var variants = new ClipVariants(media);
        var root = Directory.CreateTempSubdirectory("mova-bench-publish-");
        try
        {
            var store = CreateStore(storeName, root.FullName);
            using var owned = store as IDisposable;
            var publisher = new Mp4ClipPublisher(muxer, variants, store);
            // A small clip first, so that code loading and first-use allocations are not counted.
            await publisher.PublishAsync(new ClipPublication("warm-up", "bench", "mova-360p", 1), await OutputAsync(64, 48, 9), _ => { }, CancellationToken.None);
            var output = await OutputAsync(640, 352, frameCount);
            var before = ProcessMemory.SettleAndResetPeak();
            var published = await publisher.PublishAsync(new ClipPublication("clip", "bench", "mova-360p", 42), output, _ => { }, CancellationToken.None);
            Console.WriteLine($"{before} {ProcessMemory.PeakResidentBytes()} {published.SizeBytes}");
            GC.KeepAlive(output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static IClipStore CreateStore(string name, string root)
    {
        if (name == "disk")
        {
            return new LocalDiskClipStore(
                Options.Create(new StorageOptions { LocalDisk = new LocalDiskStoreOptions { RootPath = root } }),
                TimeProvider.System,
                NullLogger<LocalDiskClipStore>.Instance);
        }

        string Env(string key) => Environment.GetEnvironmentVariable(key) ?? throw new InvalidOperationException($"{key} is not set.");
        var options = Options.Create(new StorageOptions
        {
            Provider = ClipStoreProvider.S3,
            S3 = new S3StoreOptions { Endpoint = Env("S3_ENDPOINT"), AccessKey = Env("S3_ACCESS_KEY"), SecretKey = Env("S3_SECRET_KEY"), Region = Env("S3_REGION"), Bucket = "bench" },
        });
        return new S3ClipStore(options, new StorageRetry(options, NullLogger<StorageRetry>.Instance, TimeProvider.System), new HttpClient(), NullLogger<S3ClipStore>.Instance);
    }

    private static async Task<GenerationOutput> OutputAsync(int width, int height, int frameCount)
    {
        var source = BenchmarkFrames.Create(width, height, frameCount, 16);
        var frames = new List<ReadOnlyMemory<byte>>(frameCount);
        for (var i = 0; i < frameCount; i++)
        {
            var frame = new byte[width * height * 3];
            await source.CopyFrameAsync(i, frame, CancellationToken.None);
            frames.Add(frame);
        }

        var audio = new float[(int)(48_000L * frameCount / 24)];
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = 0.3f * (float)Math.Sin(2 * Math.PI * 220 * i / 48_000);
        }

        return new GenerationOutput
        {
            Width = width, Height = height, FramesPerSecond = 24, VideoFrames = frames, AudioSamples = audio, AudioSampleRate = 48_000, AudioChannels = 1,
        };
    }
}
