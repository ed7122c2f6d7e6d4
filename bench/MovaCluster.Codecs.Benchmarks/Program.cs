using System.Diagnostics;
using System.Globalization;
using MovaCluster.Codecs.Benchmarks;
using MovaCluster.Model.Codecs.Audio;
using MovaCluster.Model.Codecs.Video;
using TorchSharp;

// Usage: MovaCluster.Codecs.Benchmarks [vae|dac|memory|all] [goldens folder]
string what = args.Length > 0 ? args[0] : "all";
string goldens = args.Length > 1 ? args[1] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/goldens"));
NativeMemory.UseMmapForLargeAllocations();
if (int.TryParse(Environment.GetEnvironmentVariable("MOVA_BENCH_THREADS"), out int threads))
{
    torch.set_num_threads(threads);
}


Console.WriteLine($"threads={torch.get_num_threads()} cores={Environment.ProcessorCount} load={File.ReadAllText("/proc/loadavg").Trim()}");

if (what == "quick")
{
    using var quick = WanVideoVae.FromFolder(Path.Combine(goldens, "codecs-tiny", "video_vae"), torch.CPU);
    VaeDecode("tiny (base 8), 32x32 out", quick, 4, 4, 6);
}

if (what is "vae" or "all")
{
    using var tiny = WanVideoVae.FromFolder(Path.Combine(goldens, "codecs-tiny", "video_vae"), torch.CPU);
    VaeDecode("tiny (base 8), 32x32 out", tiny, 4, 4, 6);
    VaeDecode("tiny (base 8), 128x128 out", tiny, 16, 16, 6);
    using var wan = RandomWeights.Fill(new WanVideoVae(BenchConfigs.Wan21Vae, torch.CPU));
    VaeDecode("Wan 2.1 (base 96), 64x64 out", wan, 8, 8, 3);
    VaeDecode("Wan 2.1 (base 96), 128x128 out", wan, 16, 16, 3);
}

if (what is "dac" or "all")
{
    using var tiny = DacAudioDecoder.FromFolder(Path.Combine(goldens, "mova-tiny", "audio_vae"), torch.CPU);
    DacDecode("tiny (dim 16, hop 6, 480 Hz)", tiny, 4);
    using var mova = RandomWeights.Fill(new DacAudioDecoder(BenchConfigs.MovaDac, torch.CPU));
    DacDecode("MOVA (dim 2048, hop 960, 48 kHz)", mova, 2);
}

if (what is "memory" or "all")
{
    using var wan = RandomWeights.Fill(new WanVideoVae(BenchConfigs.Wan21Vae, torch.CPU));
    foreach (int size in new[] { 8, 16, 24 })
    {
        long peak = PeakDecodeGrowth(wan, size, 3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory Wan 2.1 decode {size * 8}x{size * 8}, T=3: peak RSS growth {peak / 1e6:F0} MB ({peak / (64.0 * size * size):F0} bytes per output pixel)"));
    }
}

static void VaeDecode(string name, WanVideoVae vae, int h, int w, int frames)
{
    using var latent = torch.randn([1, 16, frames, h, w], generator: new torch.Generator(1));
    var times = new List<double>();
    var sw = Stopwatch.StartNew();
    foreach (var chunk in vae.DecodeChunks(latent))
    {
        chunk.Dispose();
        times.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
    }

    // Chunk 0 decodes one frame; later chunks four: report the steady state.
    var steady = times.Skip(1).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"vae {name}: first latent frame {times[0]:F0} ms, then {steady.Average():F0} ms per latent frame (min {steady.Min():F0}) over {steady.Count}"));
}

static void DacDecode(string name, DacAudioDecoder dac, int seconds)
{
    int latentPerSecond = dac.SampleRate / dac.HopLength;
    using var warm = torch.randn([1, dac.Config.EffectiveLatentDim, latentPerSecond / 5]);
    dac.Decode(warm).Dispose();
    using var latent = torch.randn([1, dac.Config.EffectiveLatentDim, latentPerSecond * seconds], generator: new torch.Generator(2));
    var runs = new List<double>();
    for (int i = 0; i < 3; i++)
    {
        var sw = Stopwatch.StartNew();
        dac.Decode(latent).Dispose();
        runs.Add(sw.Elapsed.TotalMilliseconds / seconds);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dac {name}: {runs.Average():F0} ms per second of audio (min {runs.Min():F0}; {latentPerSecond} latent frames/s)"));
}

static long PeakDecodeGrowth(WanVideoVae vae, int size, int frames)
{
    using var latent = torch.randn([1, 16, frames, size, size]);
    GC.Collect();
    long before = NativeMemory.ResidentBytes;
    NativeMemory.ResetPeak();
    foreach (var chunk in vae.DecodeChunks(latent))
    {
        chunk.Dispose();
    }

    return NativeMemory.PeakResidentBytes - before;
}
