using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;
using MovaCluster.Grains.Jobs;

namespace MovaCluster.Grains.Tests.Jobs;

/// <summary>A running job's ETA: the rest of its phase, its remaining steps and every later phase, at the job's own pace.</summary>
public sealed class RemainingTimeTests
{
    private static readonly PhaseEstimate Estimate = new()
    {
        StartupMilliseconds = 1000, EncodingMilliseconds = 500, MillisecondsPerStep = 100, DecodingMilliseconds = 2000, MuxingMilliseconds = 300, UploadingMilliseconds = 200,
    };

    [Fact]
    public void At_the_last_step_the_eta_is_still_decode_mux_and_upload_not_zero()
    {
        var left = RemainingTime.Of(Estimate, JobPhase.DenoisingLowNoise, TimeSpan.FromSeconds(5), completedSteps: 10, totalSteps: 10, measuredStepMilliseconds: 100);
        Assert.Equal(2500, left.TotalMilliseconds, 6);
    }

    [Fact]
    public void Each_phase_counts_what_is_left_of_itself_and_everything_after_it()
    {
        Assert.Equal(1000 - 400 + 500 + 1000 + 2500, RemainingTime.Of(Estimate, JobPhase.None, TimeSpan.FromMilliseconds(400), 0, 10, null).TotalMilliseconds, 6);
        Assert.Equal(500 - 100 + 1000 + 2500, RemainingTime.Of(Estimate, JobPhase.Encoding, TimeSpan.FromMilliseconds(100), 0, 10, null).TotalMilliseconds, 6);
        Assert.Equal((4 * 100) + 2500, RemainingTime.Of(Estimate, JobPhase.DenoisingHighNoise, TimeSpan.Zero, 6, 10, 100).TotalMilliseconds, 6);
        Assert.Equal(2000 - 1500 + 300 + 200, RemainingTime.Of(Estimate, JobPhase.Decoding, TimeSpan.FromMilliseconds(1500), 10, 10, 100).TotalMilliseconds, 6);
        Assert.Equal(200, RemainingTime.Of(Estimate, JobPhase.Muxing, TimeSpan.FromSeconds(1), 10, 10, 100).TotalMilliseconds, 6);
        Assert.Equal(0, RemainingTime.Of(Estimate, JobPhase.Uploading, TimeSpan.FromSeconds(1), 10, 10, 100).TotalMilliseconds, 6);
    }

    [Fact]
    public void A_job_running_twice_as_slow_as_predicted_expects_its_decode_and_mux_twice_as_slow()
    {
        // 5 steps done at 200 ms after startup and encoding that took twice their 1500 ms: 4000 ms spent for 2000 predicted.
        var left = RemainingTime.Of(Estimate, JobPhase.DenoisingLowNoise, TimeSpan.FromSeconds(1), 5, 10, measuredStepMilliseconds: 200, elapsedInRun: TimeSpan.FromMilliseconds(4000));
        Assert.Equal((5 * 200) + (2 * 2500), left.TotalMilliseconds, 6);
    }

    [Fact]
    public void One_slow_step_does_not_blow_up_the_tail_when_the_run_as_a_whole_is_on_time()
    {
        // The only step took 500 ms instead of 100 (one preemption); startup and encoding took what they should.
        var left = RemainingTime.Of(Estimate, JobPhase.DenoisingLowNoise, TimeSpan.FromMilliseconds(500), 1, 2, measuredStepMilliseconds: 500, elapsedInRun: TimeSpan.FromMilliseconds(2000));
        Assert.InRange(left.TotalMilliseconds, 500 + 2500, 500 + (2500 * 1.4));
    }

    [Fact]
    public void In_decoding_the_pace_comes_from_everything_before_it()
    {
        // Startup, encoding and 10 steps predicted 2500 ms and took 5000: the 2000 ms decode is expected to take 4000.
        var left = RemainingTime.Of(Estimate, JobPhase.Decoding, TimeSpan.FromMilliseconds(1000), 10, 10, 100, elapsedInRun: TimeSpan.FromMilliseconds(6000));
        Assert.Equal(4000 - 1000 + 600 + 400, left.TotalMilliseconds, 6);
    }
}
