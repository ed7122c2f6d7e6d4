using MovaCluster.Model.Denoising;
using MovaCluster.Model.Sampling;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// The step level's compute schedule before a job runs. Its signal, the time modulation, depends on the timestep only,
/// so which passes it reuses follows from the schedule, the time embeddings, the polynomials and the settings: for a tier
/// without block level the forecast is exact (both branches decide alike); with block level it bounds the step level's
/// reuses from above (a pass whose middle was reused does not reset the step level's sum). For the planner and the ETA.
/// </summary>
public static class CacheForecast
{
    /// <summary>
    /// Per step, whether the step level computes the pass (true) or reuses the stack residual (false). Needs only the
    /// denoiser's time embeddings (a stem-only denoiser will do).
    /// </summary>
    public static IReadOnlyList<bool> StepLevel(MovaDenoiser stem, SamplerOptions options, TeaCacheCoefficients? teaCache)
    {
        ArgumentNullException.ThrowIfNull(stem);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Cache;
        var schedule = new FlowMatchPairSchedule(options.Scheduler, options.NumInferenceSteps);
        var experts = ExpertSchedule.For(schedule.Timesteps, options.BoundaryRatio, options.Scheduler.NumTrainTimesteps);
        var computed = new bool[schedule.Count];
        Array.Fill(computed, true);
        if (settings?.StepThreshold is not { } threshold || threshold <= 0)
        {
            return computed;
        }

        using var scope = torch.NewDisposeScope();
        VideoExpert? expert = null;
        (torch.Tensor Video, torch.Tensor Audio)? previous = null;
        var accumulated = 0.0;
        var reuses = 0;
        var hasResidual = false;
        for (var k = 0; k < schedule.Count; k++)
        {
            if (expert != experts[k])
            {
                (expert, previous, accumulated, reuses, hasResidual) = (experts[k], null, 0.0, 0, false);
            }

            var polynomial = teaCache?.For(experts[k]);
            if (polynomial is null || !stem.Holds(experts[k]))
            {
                continue;
            }

            var video = stem.Expert(experts[k]);
            using var t = torch.tensor(new[] { schedule.Timesteps[k] }, torch.ScalarType.Float32, video.Device);
            using var ta = torch.tensor(new[] { schedule.Timesteps[k] }, torch.ScalarType.Float32, stem.Audio.Device);
            var current = (video.EmbedTime(t).TMod, stem.Audio.EmbedTime(ta).TMod);
            double? change = previous is { } p
                ? Math.Max(RelativeL1.Change(current.Item1, p.Video), RelativeL1.Change(current.Item2, p.Audio))
                : null;
            previous = current;
            if (change is { } c)
            {
                accumulated += polynomial.Rescale(c);
            }

            var forced = k < settings.WarmupSteps || k >= schedule.Count - settings.FinalSteps
                || (settings.MaxConsecutiveReuses is { } cap && reuses >= cap);
            if (change is not null && hasResidual && !forced && accumulated < threshold)
            {
                computed[k] = false;
                reuses++;
            }
            else
            {
                (accumulated, reuses, hasResidual) = (0.0, 0, true);
            }
        }

        return computed;
    }

    /// <summary>MOVA's stack: 40 video layers, the first 30 with audio blocks (the default shape of the forecasts).</summary>
    public const int MovaLayers = 40;

    /// <summary>Audio-bearing layers of MOVA's stack.</summary>
    public const int MovaSharedLayers = 30;

    /// <summary>
    /// Per step, the fraction of an uncached step's layer evaluations a job of this tier computes when every reuse the
    /// rules allow is taken (the structural ceiling of the savings): warm-up and final steps in full, then a full pass
    /// after each run of <see cref="CacheSettings.MaxConsecutiveReuses"/> reuses; a reuse computes nothing with a step
    /// level, the always-computed layers with a block level only. Needs no model: the synthetic device and the
    /// schedulers use it. Null settings (no cache): every step 1.
    /// </summary>
    public static IReadOnlyList<double> Schedule(CacheSettings? settings, int steps, int layers = MovaLayers, int sharedLayers = MovaSharedLayers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var fractions = new double[steps];
        Array.Fill(fractions, 1.0);
        if (settings is null || settings.NeverSkips)
        {
            return fractions;
        }

        var reused = settings.StepThreshold > 0
            ? 0.0
            : (double)CacheLayout.For(layers, sharedLayers, settings.FirstLayers, settings.LastLayers, blockLevel: true).LayersComputedWhenReused / layers;
        if (reused >= 1)
        {
            return fractions;
        }

        var run = 0;
        for (var k = 0; k < steps; k++)
        {
            var forced = k < settings.WarmupSteps || k >= steps - settings.FinalSteps || (settings.MaxConsecutiveReuses is { } cap && run >= cap);
            if (forced || k == 0)
            {
                run = 0;
                continue;
            }

            fractions[k] = reused;
            run++;
        }

        return fractions;
    }

    /// <summary>
    /// Expected work of a job in uncached-step equivalents: <see cref="CacheSettings.ExpectedSkippedFraction"/> of the
    /// steps skipped when the operator set it, else the sum of <see cref="Schedule"/>. Steps itself without a cache.
    /// </summary>
    public static double ExpectedWork(CacheSettings? settings, int steps, int layers = MovaLayers, int sharedLayers = MovaSharedLayers)
    {
        if (settings is null || settings.NeverSkips)
        {
            return steps;
        }

        return settings.ExpectedSkippedFraction is { } skipped ? steps * (1 - skipped) : Schedule(settings, steps, layers, sharedLayers).Sum();
    }
}
