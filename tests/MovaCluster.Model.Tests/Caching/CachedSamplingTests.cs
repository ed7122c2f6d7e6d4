using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using MovaCluster.Model.Tests.Support;
using Xunit.Abstractions;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>What the cache skips, what it reports and where it refuses to run.</summary>
public sealed class CachedSamplingTests(CachingScenario scenario, ITestOutputHelper output) : IClassFixture<CachingScenario>
{
    [Fact]
    public void Block_level_reuses_the_middle_spans_within_its_rules_and_stays_close_to_the_uncached_result()
    {
        var executor = new LocalStepExecutor(scenario.Denoiser);
        using var exact = MovaSampler.Run(executor, scenario.Request, CachingScenario.Options());
        using var cached = MovaSampler.Run(executor, scenario.Request, CachingScenario.Options(cache: CachingScenario.Blocks));

        var report = cached.Cache!;
        Assert.Equal(12, report.Steps.Count);
        var reused = report.Steps.SelectMany(s => s.Passes).Count(p => p.Outcome == CachePassOutcome.BlocksReused);
        Assert.True(reused > 0, "no pass reused its cached spans");
        Assert.DoesNotContain(report.Steps.SelectMany(s => s.Passes), p => p.Outcome == CachePassOutcome.StepReused);

        // Warm-up, the final step and the first step of each expert are computed in full.
        var lowStart = MovaSampler.FirstLowNoiseStep(CachingScenario.Options());
        foreach (var record in report.Steps.Where(s => s.Step < 2 || s.Step == 11 || s.Step == lowStart))
        {
            Assert.All(record.Passes, p => Assert.Equal(CachePassOutcome.Computed, p.Outcome));
        }

        // Layout of a 6-layer stack with 4 audio layers, F1 B1: computed 0, 3, 5; cached [1, 3) and 4.
        Assert.All(report.Steps.SelectMany(s => s.Passes).Where(p => p.Outcome == CachePassOutcome.BlocksReused), p => Assert.Equal(3, p.LayersComputed));
        foreach (var branch in new[] { 0, 1 })
        {
            var run = 0;
            foreach (var pass in report.Steps.Select(s => branch == 0 ? s.Positive : s.Negative!))
            {
                run = pass.Outcome == CachePassOutcome.Computed ? 0 : run + 1;
                Assert.InRange(run, 0, 3);
            }
        }

        Assert.Equal(report.Steps.Sum(s => s.LayersComputed), report.Totals.LayerEvaluationsComputed);
        Assert.Equal(12 * 2 * 6, report.Totals.LayerEvaluations);
        Assert.Equal(reused, report.Totals.PassesBlocksReused);
        Assert.True(report.Totals.SkippedLayerFraction > 0);

        var drift = TensorAssert.RelativeError(cached.VideoLatents, exact.VideoLatents);
        output.WriteLine(string.Join(" ", report.Steps.Select(s => $"{s.Step}:{s.Positive.Outcome}/{s.Negative!.Outcome}({s.Positive.BlockChange:F3})")));
        output.WriteLine($"skipped {report.Totals.SkippedLayerFraction:P1}, video drift {drift:E2}");
        Assert.True(drift > 0, "reusing spans changed nothing");
        Assert.True(drift < 0.5, $"video latents drifted by {drift:E2} (relative to max |x|)");
    }

    [Fact]
    public void Step_level_reuses_whole_passes_with_a_polynomial_and_never_reuses_an_expert_it_has_none_for()
    {
        var coefficients = new TeaCacheCoefficients(new Dictionary<VideoExpert, TeaCachePolynomial>
        {
            [VideoExpert.LowNoise] = new([1.0, 0.0], 0.001, 1.0),
        });
        var settings = new CacheSettings
        {
            Name = "steps",
            StepThreshold = 0.4,
            BlockThreshold = null,
            WarmupSteps = 1,
            FinalSteps = 1,
            MaxConsecutiveReuses = 2,
        };
        var executor = new LocalStepExecutor(scenario.Denoiser, coefficients);
        using var cached = MovaSampler.Run(executor, scenario.Request, CachingScenario.Options(cache: settings));

        var report = cached.Cache!;
        Assert.Equal([VideoExpert.HighNoise], report.StepLevelUnavailable);
        Assert.All(report.Steps.Where(s => s.Expert == VideoExpert.HighNoise), s => Assert.All(s.Passes, p => Assert.Equal(CachePassOutcome.Computed, p.Outcome)));
        var low = report.Steps.Where(s => s.Expert == VideoExpert.LowNoise).ToList();
        Assert.Contains(low, s => s.Positive.Outcome == CachePassOutcome.StepReused);
        Assert.All(low.SelectMany(s => s.Passes).Where(p => p.Outcome == CachePassOutcome.StepReused), p =>
        {
            Assert.Equal(0, p.LayersComputed);
            Assert.True(p.StepChange < 0.4);
        });

        // The time modulation is the same for both branches, so they decide alike.
        Assert.All(low, s => Assert.Equal(s.Positive.Outcome, s.Negative!.Outcome));
    }

    [Fact]
    public void Both_levels_together_skip_whole_passes_only_while_a_full_pass_is_within_reach()
    {
        var coefficients = new TeaCacheCoefficients(new Dictionary<VideoExpert, TeaCachePolynomial>
        {
            [VideoExpert.HighNoise] = new([1.0, 0.0], 0.001, 1.0),
            [VideoExpert.LowNoise] = new([1.0, 0.0], 0.001, 1.0),
        });
        var settings = CachingScenario.Blocks with { StepThreshold = 0.3, MaxConsecutiveReuses = 4 };
        var executor = new LocalStepExecutor(scenario.Denoiser, coefficients);
        using var cached = MovaSampler.Run(executor, scenario.Request, CachingScenario.Options(cache: settings));

        var passes = cached.Cache!.Steps.Select(s => s.Positive).ToList();
        output.WriteLine(string.Join(" ", passes.Select((p, k) => $"{k}:{p.Outcome}({p.StepChange:F3},{p.BlockChange:F3})")));
        Assert.Contains(passes, p => p.Outcome == CachePassOutcome.StepReused);
        for (var k = 1; k < passes.Count; k++)
        {
            // A pass that had to compute after a step reuse never drops straight back to a step reuse unless a full pass intervened.
            if (passes[k].Outcome == CachePassOutcome.StepReused && passes[k - 1].Outcome == CachePassOutcome.BlocksReused)
            {
                Assert.Fail($"step {k} reused the stack residual right after a block-reused pass, without a full pass in between.");
            }
        }
    }

    [Fact]
    public void The_step_level_forecast_is_exact_without_block_level_and_an_upper_bound_with_it()
    {
        var coefficients = new TeaCacheCoefficients(new Dictionary<VideoExpert, TeaCachePolynomial>
        {
            [VideoExpert.HighNoise] = new([2.0, 0.0], 0.001, 1.0),
            [VideoExpert.LowNoise] = new([1.0, 0.0], 0.001, 1.0),
        });
        var executor = new LocalStepExecutor(scenario.Denoiser, coefficients);
        var stepsOnly = CachingScenario.Options(cache: new CacheSettings { Name = "s", StepThreshold = 0.3, BlockThreshold = null, WarmupSteps = 1, MaxConsecutiveReuses = 3 });
        var forecast = CacheForecast.StepLevel(scenario.Denoiser, stepsOnly, coefficients);
        using var run = MovaSampler.Run(executor, scenario.Request, stepsOnly);

        Assert.Contains(false, forecast);
        Assert.Equal(forecast, run.Cache!.Steps.Select(s => s.Positive.Outcome == CachePassOutcome.Computed));
        Assert.Equal(forecast, run.Cache.Steps.Select(s => s.Negative!.Outcome == CachePassOutcome.Computed));

        var both = stepsOnly with { Cache = stepsOnly.Cache! with { BlockThreshold = 0.5 } };
        using var hybrid = MovaSampler.Run(executor, scenario.Request, both);
        var bound = CacheForecast.StepLevel(scenario.Denoiser, both, coefficients);
        Assert.All(hybrid.Cache!.Steps, s => Assert.True(s.Positive.Outcome != CachePassOutcome.StepReused || !bound[s.Step], $"step {s.Step}"));
        Assert.All(CacheForecast.StepLevel(scenario.Denoiser, CachingScenario.Options(cache: CachingScenario.Blocks), coefficients), Assert.True);
    }

    [Fact]
    public void Without_cfg_only_the_positive_branch_is_cached()
    {
        var executor = new LocalStepExecutor(scenario.Denoiser);
        using var cached = MovaSampler.Run(executor, scenario.Request, CachingScenario.Options(cfg: 1.0, cache: CachingScenario.Blocks));
        Assert.All(cached.Cache!.Steps, s => Assert.Null(s.Negative));
        Assert.Equal(12, cached.Cache.Totals.Passes);
    }

    [Fact]
    public void Step_progress_carries_each_steps_record()
    {
        var records = new List<CacheStepRecord?>();
        using var cached = MovaSampler.Run(
            new LocalStepExecutor(scenario.Denoiser), scenario.Request, CachingScenario.Options(cache: CachingScenario.Blocks), onStep: p => records.Add(p.Cache));
        Assert.Equal(cached.Cache!.Steps, records.Select(r => r!));

        var uncached = new List<CacheStepRecord?>();
        using var plain = MovaSampler.Run(new LocalStepExecutor(scenario.Denoiser), scenario.Request, CachingScenario.Options(), onStep: p => uncached.Add(p.Cache));
        Assert.All(uncached, Assert.Null);
        Assert.Null(plain.Cache);
    }

    [Fact]
    public void An_executor_that_cannot_cache_refuses_a_cached_job_before_any_step()
    {
        var inner = new LocalStepExecutor(scenario.Denoiser);
        var plain = new PlainExecutor(inner);
        var failure = Assert.Throws<NotSupportedException>(() => MovaSampler.Run(plain, scenario.Request, CachingScenario.Options(cache: CachingScenario.Blocks)));
        Assert.Contains("PlainExecutor", failure.Message, StringComparison.Ordinal);
        Assert.Contains("test-blocks", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, plain.Calls);

        using var uncached = MovaSampler.Run(plain, scenario.Request, CachingScenario.Options(steps: 2));
        Assert.Equal(2, plain.Calls);
    }

    [Fact]
    public void Invalid_settings_are_refused_with_every_problem()
    {
        var settings = new CacheSettings { StepThreshold = -1, BlockThreshold = double.NaN, FirstLayers = 0, WarmupSteps = -2, MaxConsecutiveReuses = 0 };
        var failure = Assert.Throws<ArgumentException>(() => MovaSampler.Run(new LocalStepExecutor(scenario.Denoiser), scenario.Request, CachingScenario.Options(cache: settings)));
        foreach (var name in new[] { "StepThreshold", "BlockThreshold", "FirstLayers", "WarmupSteps", "MaxConsecutiveReuses" })
        {
            Assert.Contains(name, failure.Message, StringComparison.Ordinal);
        }
    }

    private sealed class PlainExecutor(IStepExecutor inner) : IStepExecutor
    {
        public int Calls { get; private set; }

        public StepVelocities Evaluate(StepRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.Evaluate(request, cancellationToken);
        }
    }
}
