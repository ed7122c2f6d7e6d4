using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// A running job's predicted time left: what is left of the current phase (its predicted length less the time
/// spent in it, never below zero), the remaining steps at the job's own measured step time (the prediction until it
/// has one), and every later phase, so decoding, muxing and uploading are counted at the last step as well.
/// </summary>
internal static class RemainingTime
{
    /// <param name="estimate">The predicted phase times of the job's shape.</param>
    /// <param name="phase">The phase the job is in (<see cref="JobPhase.None"/>: started, not yet encoding).</param>
    /// <param name="inPhase">Time spent in that phase so far.</param>
    /// <param name="completedSteps">Denoising steps done.</param>
    /// <param name="totalSteps">Denoising steps in all.</param>
    /// <param name="measuredStepMilliseconds">The job's own mean step time so far, when it has one.</param>
    /// <param name="speedFactor">
    /// How much faster (below 1) or slower this job's steps run than the shape's average before any of its own are
    /// measured; 1 today. A step cache that skips work for some jobs would pass its expected ratio here.
    /// </param>
    public static TimeSpan Of(
        PhaseEstimate estimate, JobPhase phase, TimeSpan inPhase, int completedSteps, int totalSteps, double? measuredStepMilliseconds,
        double speedFactor = 1.0)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var step = measuredStepMilliseconds ?? estimate.MillisecondsPerStep * speedFactor;
        var steps = Math.Max(0, totalSteps - completedSteps) * step;

        // A job whose steps run slower or faster than predicted (a loaded or a faster machine) will decode and mux
        // at that pace too.
        var pace = measuredStepMilliseconds is { } measured && estimate.MillisecondsPerStep > 0
            ? Math.Clamp(measured / estimate.MillisecondsPerStep, 0.25, 4)
            : speedFactor;
        estimate = estimate with
        {
            StartupMilliseconds = estimate.StartupMilliseconds * pace,
            EncodingMilliseconds = estimate.EncodingMilliseconds * pace,
            DecodingMilliseconds = estimate.DecodingMilliseconds * pace,
            MuxingMilliseconds = estimate.MuxingMilliseconds * pace,
            UploadingMilliseconds = estimate.UploadingMilliseconds * pace,
        };
        var spent = inPhase.TotalMilliseconds;
        double Rest(double predicted) => Math.Max(0, predicted - spent);
        var milliseconds = phase switch
        {
            JobPhase.None => Rest(estimate.StartupMilliseconds) + estimate.EncodingMilliseconds + steps + estimate.TailMilliseconds,
            JobPhase.Encoding => Rest(estimate.EncodingMilliseconds) + steps + estimate.TailMilliseconds,
            JobPhase.DenoisingHighNoise or JobPhase.DenoisingLowNoise => steps + estimate.TailMilliseconds,
            JobPhase.Decoding => Rest(estimate.DecodingMilliseconds) + estimate.MuxingMilliseconds + estimate.UploadingMilliseconds,
            JobPhase.Muxing => Rest(estimate.MuxingMilliseconds) + estimate.UploadingMilliseconds,
            JobPhase.Uploading => Rest(estimate.UploadingMilliseconds),
            _ => steps + estimate.TailMilliseconds,
        };
        return TimeSpan.FromMilliseconds(milliseconds);
    }
}
