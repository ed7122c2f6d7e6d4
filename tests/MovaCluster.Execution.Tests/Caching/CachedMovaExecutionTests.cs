using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.DeviceThreads;
using MovaCluster.Execution.Mova;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Caching;
using MovaCluster.Model.Imaging;
using MovaCluster.Model.Text;
using TorchSharp;

namespace MovaCluster.Execution.Tests.Caching;

/// <summary>
/// A job's cache tier through the MOVA executor on the tiny random-weights model: the operator's tier applied and
/// reported step by step, a checkpoint of a cached run resuming to the uninterrupted run's bytes and totals, and
/// unknown tiers refused before any work.
/// </summary>
public sealed class CachedMovaExecutionTests : IDisposable
{
    // The tiny stack has 2 layers: F1 B0 leaves layer 1 as the cached span; a huge threshold reuses whenever allowed.
    private static readonly CacheSettings Always = new()
    {
        BlockThreshold = 1e9, FirstLayers = 1, LastLayers = 0, WarmupSteps = 1, FinalSteps = 1, MaxConsecutiveReuses = 2,
    };

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "mova-cached-executor-tests-" + Guid.NewGuid().ToString("N"));
    private readonly IGenerationExecutor _executor;

    public CachedMovaExecutionTests()
    {
        var options = new ExecutionOptions { Executor = ExecutorKind.Mova };
        options.Mova.TinyModelCache = _cache;
        options.Mova.MaxPromptTokens = 32;
        var caching = new CachingOptions();
        caching.Tiers["always"] = Always;
        _executor = new MovaExecutorFactory(
            Options.Create(options),
            Options.Create(new TextEmbeddingCacheOptions()),
            Options.Create(new ReferenceImageOptions()),
            NullLogger<MovaExecutorFactory>.Instance,
            Options.Create(caching)).Create(new DeviceContext("cpu", torch.CPU));
    }

    private static GenerationJob Job(string? cache) => TinyJobs.Create("job-c", "A trumpet echoes in a canyon.", seed: 11) is var job
        ? job with { Request = job.Request with { Steps = 8, Cache = cache } }
        : throw new InvalidOperationException();

    [Fact]
    public void A_configured_tier_skips_layers_and_reports_them_every_step()
    {
        var observer = new CacheRecordingObserver();
        var uncached = _executor.Execute(Job(null), new CacheRecordingObserver(), CancellationToken.None);

        var cached = _executor.Execute(Job("ALWAYS"), observer, CancellationToken.None);

        var last = observer.Usages[^1]!;
        Assert.Equal(8, observer.Usages.Count);
        Assert.Equal("always", last.Tier);
        Assert.Equal((8, 16, 16L * 2), (last.Steps, last.Passes, last.LayerEvaluations));
        // Warm-up and final steps run in full, so does the first step of each expert; between them at most two reuses in a row.
        Assert.Equal(1.0, observer.Work[0]);
        Assert.Equal(1.0, observer.Work[^1]);
        Assert.All(observer.Work, w => Assert.Contains(w, new[] { 0.5, 1.0 }));
        Assert.True(last.PassesBlocksReused > 0, "nothing was reused");
        Assert.Equal(2 * observer.Work.Count(w => w == 0.5), last.PassesBlocksReused);
        Assert.Equal(2 * observer.Work.Count(w => w == 1.0), last.PassesComputed);
        Assert.Equal(4 * observer.Work.Sum(), last.LayerEvaluationsComputed);
        Assert.Equal(last.PassesBlocksReused / 16.0 / 2, last.SkippedFraction, 6);
        Assert.Equal(0, observer.RemainingWork[^1]);
        Assert.True(observer.RemainingWork[0] < 7, $"{observer.RemainingWork[0]} uncached steps' work expected after the first of a cached job");
        Assert.NotEqual(uncached.VideoBytes(), cached.VideoBytes());
    }

    [Fact]
    public void Resuming_a_cached_job_from_a_stored_checkpoint_gives_the_uninterrupted_bytes_and_totals()
    {
        foreach (var at in new[] { 2, 4, 5 })
        {
            var observer = new CacheRecordingObserver(checkpointAt: at);
            var uninterrupted = _executor.Execute(Job("always"), observer, CancellationToken.None);
            var stored = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(observer.Checkpoint!));
            Assert.NotNull(stored.CacheState);

            var resumedObserver = new CacheRecordingObserver();
            var resumed = _executor.Execute(Job("always") with { ResumeFrom = stored }, resumedObserver, CancellationToken.None);

            Assert.Equal(uninterrupted.VideoBytes(), resumed.VideoBytes());
            Assert.Equal(uninterrupted.AudioSamples, resumed.AudioSamples);
            Assert.Equal(observer.Usages[^1], resumedObserver.Usages[^1]);
        }
    }

    [Fact]
    public void Off_and_no_tier_run_the_uncached_path_and_report_no_cache()
    {
        var none = new CacheRecordingObserver();
        var off = new CacheRecordingObserver();

        var a = _executor.Execute(Job(null), none, CancellationToken.None);
        var b = _executor.Execute(Job("off"), off, CancellationToken.None);

        Assert.Equal(a.VideoBytes(), b.VideoBytes());
        Assert.All(none.Usages.Concat(off.Usages), Assert.Null);
        Assert.Equal(Enumerable.Repeat(1.0, 8), off.Work);
        Assert.Equal([7.0, 6, 5, 4, 3, 2, 1, 0], off.RemainingWork);
    }

    [Fact]
    public void An_unknown_tier_fails_before_any_step_naming_the_known_tiers()
    {
        var observer = new CacheRecordingObserver();

        var error = Assert.Throws<ArgumentException>(() => _executor.Execute(Job("fastest"), observer, CancellationToken.None));

        Assert.Contains("'fastest'", error.Message, StringComparison.Ordinal);
        Assert.Contains("always", error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Usages);
    }

    public void Dispose()
    {
        _executor.Dispose();
        Directory.Delete(_cache, recursive: true);
    }
}
