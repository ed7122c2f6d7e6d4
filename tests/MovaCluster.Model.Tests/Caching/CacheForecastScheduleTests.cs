using MovaCluster.Model.Caching;

namespace MovaCluster.Model.Tests.Caching;

/// <summary>The model-free forecast the schedulers and the synthetic device use, and the running ETA estimate.</summary>
public sealed class CacheForecastScheduleTests
{
    [Fact]
    public void Without_a_cache_or_with_thresholds_of_zero_every_step_is_whole()
    {
        Assert.Equal(Enumerable.Repeat(1.0, 10), CacheForecast.Schedule(null, 10));
        Assert.Equal(Enumerable.Repeat(1.0, 10), CacheForecast.Schedule(CacheSettings.Exact, 10));
        Assert.Equal(10, CacheForecast.ExpectedWork(null, 10));
    }

    [Fact]
    public void Fast_computes_the_first_two_and_last_layer_of_each_tower_between_forced_steps()
    {
        var schedule = CacheForecast.Schedule(CacheTiers.Fast, 12);

        // MOVA, F2 B1: layers 0, 1, 29 and 39 of 40 computed on a reuse; warm-up 4, at most 3 reuses, final 1.
        var reused = 4.0 / 40;
        Assert.Equal([1, 1, 1, 1, reused, reused, reused, 1, reused, reused, reused, 1], schedule);
        Assert.Equal(schedule.Sum(), CacheForecast.ExpectedWork(CacheTiers.Fast, 12), 12);
    }

    [Fact]
    public void Faster_reuses_whole_steps_and_an_operator_estimate_replaces_the_ceiling()
    {
        var schedule = CacheForecast.Schedule(CacheTiers.Faster, 10);

        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 1, 1], schedule);
        Assert.Equal(10 * 0.6, CacheForecast.ExpectedWork(CacheTiers.Faster with { ExpectedSkippedFraction = 0.4 }, 10), 12);
        Assert.NotEmpty((CacheTiers.Fast with { ExpectedSkippedFraction = 1.0 }).Validate());
    }

    [Fact]
    public void The_running_estimate_starts_from_the_forecast_and_follows_what_the_job_measured()
    {
        var estimate = new CacheWorkEstimate(CacheTiers.Fast, 12);
        var prior = CacheForecast.Schedule(CacheTiers.Fast, 12).Skip(4).Take(7).Average();

        Assert.Equal(4 + (7 * prior) + 1, estimate.Remaining(0), 12);
        estimate.Observe(0, 1);
        estimate.Observe(4, 0.5);
        estimate.Observe(5, 0.7);

        Assert.Equal((5 * 0.6) + 1, estimate.Remaining(6), 12);
        Assert.Equal(0, estimate.Remaining(12));
        Assert.Equal(3, new CacheWorkEstimate(null, 12).Remaining(9));
    }
}
