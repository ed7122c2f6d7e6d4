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
    /// <param name="elapsedInRun">Time since the attempt started, when known: with it, the job's pace so far scales the phases still to come.</param>
    /// <param name="speedFactor">
    /// How much faster (below 1) or slower this job's steps run than the shape's average before any of its own are
    /// measured; 1 today. A step cache that skips work for some jobs would pass its expected ratio here.
    /// </param>
    public static TimeSpan Of(
        PhaseEstimate estimate, JobPhase phase, TimeSpan inPhase, int completedSteps, int totalSteps, double? measuredStepMilliseconds,
        TimeSpan? elapsedInRun = null, double speedFactor = 1.0)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var step = measuredStepMilliseconds ?? estimate.MillisecondsPerStep * speedFactor;
        var steps = Math.Max(0, totalSteps - completedSteps) * step;

        // A job running slower or faster than predicted (a loaded or a faster machine) will decode and mux at that
        // pace too. The pace is judged on the whole run so far, not on the step times alone: short steps are the
        // noisiest thing measured (one preemption can double one), while startup and encoding are long enough to
        // average the machine's load out.
        var pace = elapsedInRun is { } elapsed && SoFar(estimate, phase, completedSteps, totalSteps, inPhase, elapsed) is ({ } predicted and > 0, var actual)
            ? Math.Clamp(actual / predicted, 0.25, 4)
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

    /// <summary>
    /// The predicted and the actual length (ms) of what the run has finished: the phases before the current one, and
    /// in a denoising phase the steps done too (the time in it is then mostly those steps). Predicted null before
    /// anything finished.
    /// </summary>
    private static (double? Predicted, double Actual) SoFar(PhaseEstimate estimate, JobPhase phase, int completedSteps, int totalSteps, TimeSpan inPhase, TimeSpan elapsed)
    {
        var before = (elapsed - inPhase).TotalMilliseconds;
        var throughSteps = estimate.StartupMilliseconds + estimate.EncodingMilliseconds + (totalSteps * estimate.MillisecondsPerStep);
        return phase switch
        {
            JobPhase.Encoding => (estimate.StartupMilliseconds, before),
            JobPhase.DenoisingHighNoise or JobPhase.DenoisingLowNoise when completedSteps > 0 =>
                (estimate.StartupMilliseconds + estimate.EncodingMilliseconds + (completedSteps * estimate.MillisecondsPerStep), elapsed.TotalMilliseconds),
            JobPhase.Decoding => (throughSteps, before),
            JobPhase.Muxing => (throughSteps + estimate.DecodingMilliseconds, before),
            JobPhase.Uploading => (throughSteps + estimate.DecodingMilliseconds + estimate.MuxingMilliseconds, before),
            _ => (null, 0),
        };
    }
}
