using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Queue;

namespace MovaCluster.Grains.Tests.Queue;

/// <summary>ETAs come from measured phase times per job shape, borrowed (scaled by volume) by shapes not yet measured.</summary>
public sealed class PhaseStatisticsTests
{
    [Fact]
    public void A_measured_shape_predicts_its_phases_and_the_total_includes_decode_mux_and_upload()
    {
        var statistics = new PhaseStatistics(new PhaseStatisticsState(), initialMillisecondsPerStep: 1000);
        statistics.Add(Timings("m", "64x48", 9, startup: 100, encoding: 200, perStep: 50, decoding: 400, muxing: 80, uploading: 20));

        var estimate = statistics.Estimate("m", "64x48", 9);
        Assert.Equal(1, estimate.Samples);
        Assert.Equal(50, estimate.MillisecondsPerStep);
        Assert.Equal(100 + 200 + (10 * 50) + 400 + 80 + 20, estimate.TotalMilliseconds(10));
        Assert.Equal(500, estimate.TailMilliseconds);
    }

    [Fact]
    public void A_cached_jobs_predicted_run_counts_the_work_its_tier_is_expected_to_compute()
    {
        var statistics = new PhaseStatistics(new PhaseStatisticsState(), initialMillisecondsPerStep: 1000);
        statistics.Add(Timings("m", "64x48", 9, startup: 100, encoding: 200, perStep: 50, decoding: 400, muxing: 80, uploading: 20));
        JobTicket Ticket(double work) => new() { JobId = "j", TenantId = "t", Model = "m", Resolution = "64x48", Volume = 64 * 48 * 9, Steps = 10, Work = work };

        Assert.Equal(100 + 200 + (10 * 50) + 400 + 80 + 20, statistics.PredictRun(Ticket(0)));
        Assert.Equal(100 + 200 + (4.5 * 50) + 400 + 80 + 20, statistics.PredictRun(Ticket(4.5)));
    }

    [Fact]
    public void Newer_runs_weigh_more_and_the_average_follows_a_change_of_speed()
    {
        var statistics = new PhaseStatistics(new PhaseStatisticsState(), 1000);
        statistics.Add(Timings("m", "64x48", 9, perStep: 100));
        statistics.Add(Timings("m", "64x48", 9, perStep: 200));
        Assert.Equal((0.7 * 100) + (0.3 * 200), statistics.Estimate("m", "64x48", 9).MillisecondsPerStep, 9);
        for (var i = 0; i < 20; i++)
        {
            statistics.Add(Timings("m", "64x48", 9, perStep: 200));
        }

        Assert.InRange(statistics.Estimate("m", "64x48", 9).MillisecondsPerStep, 199, 200);
    }

    [Fact]
    public void An_unmeasured_shape_borrows_the_nearest_of_its_model_scaled_by_volume_and_startup_unscaled()
    {
        var statistics = new PhaseStatistics(new PhaseStatisticsState(), 1000);
        statistics.Add(Timings("m", "64x48", 9, startup: 100, perStep: 50, decoding: 400));
        statistics.Add(Timings("other", "128x96", 18, startup: 7, perStep: 9999, decoding: 9999));

        var doubled = statistics.Estimate("m", "64x48", 18);
        Assert.Equal(0, doubled.Samples);
        Assert.Equal(100, doubled.StartupMilliseconds);
        Assert.Equal(100, doubled.MillisecondsPerStep, 9);
        Assert.Equal(800, doubled.DecodingMilliseconds, 9);
    }

    [Fact]
    public void With_nothing_measured_the_configured_step_time_predicts_every_phase()
    {
        var estimate = new PhaseStatistics(new PhaseStatisticsState(), 1000).Estimate("m", "64x48", 9);
        Assert.Equal(0, estimate.Samples);
        Assert.Equal(1000, estimate.MillisecondsPerStep);
        Assert.True(estimate.TailMilliseconds > estimate.MillisecondsPerStep, "decode and mux are counted before anything is measured");
    }

    private static JobTimings Timings(string model, string resolution, int frames, double startup = 0, double encoding = 0, double perStep = 0,
        double decoding = 0, double muxing = 0, double uploading = 0) => new()
    {
        Model = model, Resolution = resolution, FrameCount = frames, StartupMilliseconds = startup, EncodingMilliseconds = encoding,
        MillisecondsPerStep = perStep, DecodingMilliseconds = decoding, MuxingMilliseconds = muxing, UploadingMilliseconds = uploading,
    };
}
