using System.Globalization;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Queue;

/// <summary>
/// Where ETAs come from: per job shape (model, resolution, frame count), exponentially weighted averages of the
/// measured phase times of completed runs (startup, encoding, ms per step, decoding, muxing, uploading). A shape with
/// no runs of its own borrows the nearest measured shape of the same model (else of any model), scaled by volume
/// (pixels x frames; startup unscaled); with nothing measured yet, the configured step time and fixed multiples of it
/// for the other phases.
/// </summary>
internal sealed class PhaseStatistics(PhaseStatisticsState state, double initialMillisecondsPerStep)
{
    /// <summary>Weight of the newest run in the averages: recent runs count most (load and cache change speeds).</summary>
    public const double NewestWeight = 0.3;

    private readonly Dictionary<string, PhaseEstimate> _estimates = new(StringComparer.Ordinal);

    public void Add(JobTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var key = Key(timings.Model, timings.Resolution, timings.FrameCount);
        if (!state.Shapes.TryGetValue(key, out var averages))
        {
            state.Shapes[key] = new PhaseAverages
            {
                Model = timings.Model, Resolution = timings.Resolution, FrameCount = timings.FrameCount,
                Volume = VolumeOf(timings.Resolution, timings.FrameCount), Samples = 1,
                StartupMilliseconds = timings.StartupMilliseconds, EncodingMilliseconds = timings.EncodingMilliseconds,
                MillisecondsPerStep = timings.MillisecondsPerStep, DecodingMilliseconds = timings.DecodingMilliseconds,
                MuxingMilliseconds = timings.MuxingMilliseconds, UploadingMilliseconds = timings.UploadingMilliseconds,
            };
        }
        else
        {
            averages.Samples++;
            averages.StartupMilliseconds = Blend(averages.StartupMilliseconds, timings.StartupMilliseconds);
            averages.EncodingMilliseconds = Blend(averages.EncodingMilliseconds, timings.EncodingMilliseconds);
            averages.MillisecondsPerStep = Blend(averages.MillisecondsPerStep, timings.MillisecondsPerStep);
            averages.DecodingMilliseconds = Blend(averages.DecodingMilliseconds, timings.DecodingMilliseconds);
            averages.MuxingMilliseconds = Blend(averages.MuxingMilliseconds, timings.MuxingMilliseconds);
            averages.UploadingMilliseconds = Blend(averages.UploadingMilliseconds, timings.UploadingMilliseconds);
        }

        _estimates.Clear();
    }

    public PhaseEstimate Estimate(string model, string resolution, int frameCount)
    {
        var key = Key(model, resolution, frameCount);
        if (!_estimates.TryGetValue(key, out var estimate))
        {
            estimate = Compute(key, model, VolumeOf(resolution, frameCount));
            _estimates[key] = estimate;
        }

        return estimate;
    }

    /// <summary>A queued job's predicted run in ms (the queue's work figure for it): its steps in uncached-step equivalents, so a cached job counts what its tier is expected to compute.</summary>
    public double PredictRun(JobTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Estimate(ticket.Model, ticket.Resolution, FramesOf(ticket)).TotalMilliseconds(ticket.EstimatedWork);
    }

    public static int FramesOf(JobTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var pixels = PixelsOf(ticket.Resolution);
        return pixels > 0 ? (int)(ticket.Volume / pixels) : 0;
    }

    private PhaseEstimate Compute(string key, string model, long volume)
    {
        if (state.Shapes.TryGetValue(key, out var own))
        {
            return From(own, 1.0, own.Samples);
        }

        var sameModel = state.Shapes.Values.Where(shape => shape.Model == model).ToList();
        var candidates = sameModel.Count > 0 ? sameModel : state.Shapes.Values.ToList();
        if (candidates.Count > 0 && volume > 0)
        {
            var nearest = candidates.Where(shape => shape.Volume > 0).MinBy(shape => Math.Abs(Math.Log((double)volume / shape.Volume)));
            if (nearest is not null)
            {
                return From(nearest, (double)volume / nearest.Volume, 0);
            }
        }

        var step = initialMillisecondsPerStep;
        return new PhaseEstimate
        {
            StartupMilliseconds = 0, EncodingMilliseconds = 3 * step, MillisecondsPerStep = step,
            DecodingMilliseconds = 5 * step, MuxingMilliseconds = step, UploadingMilliseconds = 0.2 * step, Samples = 0,
        };
    }

    private static PhaseEstimate From(PhaseAverages shape, double scale, int samples) => new()
    {
        StartupMilliseconds = shape.StartupMilliseconds,
        EncodingMilliseconds = shape.EncodingMilliseconds * scale,
        MillisecondsPerStep = shape.MillisecondsPerStep * scale,
        DecodingMilliseconds = shape.DecodingMilliseconds * scale,
        MuxingMilliseconds = shape.MuxingMilliseconds * scale,
        UploadingMilliseconds = shape.UploadingMilliseconds * scale,
        Samples = samples,
    };

    private static double Blend(double average, double newest) => ((1 - NewestWeight) * average) + (NewestWeight * newest);

    private static string Key(string model, string resolution, int frameCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}|{resolution}|{frameCount}");

    private static long VolumeOf(string resolution, int frameCount) => PixelsOf(resolution) * frameCount;

    private static long PixelsOf(string resolution)
    {
        var x = resolution.IndexOf('x', StringComparison.Ordinal);
        return x > 0
            && long.TryParse(resolution.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && long.TryParse(resolution.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            ? width * height
            : 0;
    }
}
