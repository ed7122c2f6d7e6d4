using MovaCluster.Contracts.Jobs;
using MovaCluster.Execution.Checkpoints;
using MovaCluster.Execution.TestDevices.Synthetic;
using MovaCluster.Execution.Tests.Support;
using MovaCluster.Model.Caching;

namespace MovaCluster.Execution.Tests.TestDevices;

/// <summary>The synthetic device follows a cache tier's forecast: its step times, its reports and its resumes.</summary>
public sealed class SyntheticCacheTests
{
    private static readonly GenerationJob Job = new()
    {
        JobId = "sim-cache",
        Request = new GenerationRequest { Prompt = "p", Width = 8, Height = 4, FrameCount = 3, Steps = 20, GuidanceScale = 5 },
        Seed = 7,
    };

    [Fact]
    public void Faster_skips_the_forecast_steps_reports_them_and_takes_less_time()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions { StepDelay = TimeSpan.FromMilliseconds(40) });
        var forecast = CacheForecast.Schedule(CacheTiers.Faster, 20);
        var uncached = new CacheRecordingObserver();
        var faster = new CacheRecordingObserver();

        executor.Execute(Job, uncached, CancellationToken.None);
        executor.Execute(Job with { Request = Job.Request with { Cache = "faster" } }, faster, CancellationToken.None);

        Assert.All(uncached.Usages, Assert.Null);
        Assert.Equal(forecast, faster.Work);
        var usage = faster.Usages[^1]!;
        Assert.Equal("faster", usage.Tier);
        Assert.Equal((20, 40, 20L * 80), (usage.Steps, usage.Passes, usage.LayerEvaluations));
        Assert.Equal(forecast.Count(f => f > 0), usage.StepsComputed);
        Assert.Equal(2 * forecast.Count(f => f == 0), usage.PassesStepReused);
        Assert.Equal(1 - (forecast.Sum() / 20), usage.SkippedFraction, 9);
        Assert.True(usage.SkippedFraction > 0.5, $"faster's ceiling skips {usage.SkippedFraction:P0}");

        // Skipped steps sleep not at all: the device time follows the forecast (sleeps only ever last longer).
        var skippedSteps = faster.Durations.Where((_, k) => forecast[k] == 0).ToList();
        Assert.True(faster.Durations.Sum(d => d.TotalMilliseconds) < uncached.Durations.Sum(d => d.TotalMilliseconds) - (skippedSteps.Count * 30));
    }

    [Fact]
    public void Remaining_work_counts_the_forecast_not_the_steps()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var observer = new CacheRecordingObserver();

        executor.Execute(Job with { Request = Job.Request with { Cache = "fast" } }, observer, CancellationToken.None);

        // Until a step past the warm-up is measured, the estimate is the forecast; then it follows the measured steps.
        var forecast = CacheForecast.Schedule(CacheTiers.Fast, 20);
        Assert.True(observer.RemainingWork[0] < 19, $"{observer.RemainingWork[0]} left after the first step");
        for (var k = 0; k < CacheTiers.Fast.WarmupSteps; k++)
        {
            Assert.Equal(forecast.Skip(k + 1).Sum(), observer.RemainingWork[k], 9);
        }

        Assert.Equal(1, observer.RemainingWork[^2], 9);
        Assert.Equal(0, observer.RemainingWork[^1]);
    }

    [Fact]
    public void A_resumed_cached_job_reports_the_whole_jobs_work()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var cached = Job with { Request = Job.Request with { Cache = "fast" } };
        var uninterrupted = new CacheRecordingObserver(checkpointAt: 9);
        executor.Execute(cached, uninterrupted, CancellationToken.None);
        var stored = DenoiseCheckpointCodec.Decode(DenoiseCheckpointCodec.Encode(uninterrupted.Checkpoint!));

        var resumed = new CacheRecordingObserver();
        executor.Execute(cached with { ResumeFrom = stored }, resumed, CancellationToken.None);

        Assert.Equal(11, resumed.Usages.Count);
        Assert.Equal(uninterrupted.Usages[^1], resumed.Usages[^1]);
    }

    [Fact]
    public void An_unknown_tier_is_refused_before_any_step()
    {
        using var executor = new SyntheticGenerationExecutor(new SyntheticExecutorOptions());
        var observer = new CacheRecordingObserver();

        var error = Assert.Throws<ArgumentException>(() => executor.Execute(Job with { Request = Job.Request with { Cache = "warp" } }, observer, CancellationToken.None));

        Assert.Contains("fast, faster", error.Message, StringComparison.Ordinal);
        Assert.Empty(observer.Usages);
    }
}
