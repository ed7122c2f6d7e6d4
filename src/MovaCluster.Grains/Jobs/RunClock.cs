using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Contracts.Queue;

namespace MovaCluster.Grains.Jobs;

/// <summary>
/// The current attempt's phase times, from the progress events (stamped by the worker when they happened) and the
/// grain's own start and completion times: what the running ETA needs (the current phase and since when, the mean
/// step time so far) and, once the run completed, its <see cref="JobTimings"/>. Kept in memory: a run whose grain
/// moved to another silo midway is simply not measured.
/// </summary>
internal sealed class RunClock
{
    private readonly Dictionary<JobPhase, DateTimeOffset> _phaseStarts = [];
    private double _stepMilliseconds;
    private int _steps;

    public DateTimeOffset? StartedAt { get; private set; }

    public JobPhase Phase { get; private set; }

    /// <summary>When the current phase (or, before the first, the attempt) began.</summary>
    public DateTimeOffset? PhaseStartedAt => Phase == JobPhase.None ? StartedAt : _phaseStarts.GetValueOrDefault(Phase);

    public double? MeanStepMilliseconds => _steps > 0 ? _stepMilliseconds / _steps : null;

    public void Start(DateTimeOffset at)
    {
        _phaseStarts.Clear();
        _stepMilliseconds = 0;
        _steps = 0;
        Phase = JobPhase.None;
        StartedAt = at;
    }

    public void Observe(JobEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        switch (item)
        {
            case JobPhaseEvent phase:
                Phase = phase.Phase;
                _phaseStarts.TryAdd(phase.Phase, phase.Timestamp);
                break;
            case JobStepEvent step when step.MillisecondsPerStep > 0:
                _stepMilliseconds += step.MillisecondsPerStep;
                _steps++;
                break;
        }
    }

    /// <summary>The run's phase times, or null when a phase was not seen (the attempt started before this activation).</summary>
    public JobTimings? Finish(GenerationRequest request, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (StartedAt is not { } started || MeanStepMilliseconds is not { } step
            || !_phaseStarts.TryGetValue(JobPhase.Encoding, out var encoding)
            || FirstDenoising() is not { } denoising
            || !_phaseStarts.TryGetValue(JobPhase.Decoding, out var decoding)
            || !_phaseStarts.TryGetValue(JobPhase.Muxing, out var muxing)
            || !_phaseStarts.TryGetValue(JobPhase.Uploading, out var uploading))
        {
            return null;
        }

        return new JobTimings
        {
            Model = request.Model ?? "",
            Resolution = $"{request.Width}x{request.Height}",
            FrameCount = request.FrameCount,
            StartupMilliseconds = Between(started, encoding),
            EncodingMilliseconds = Between(encoding, denoising),
            MillisecondsPerStep = step,
            DecodingMilliseconds = Between(decoding, muxing),
            MuxingMilliseconds = Between(muxing, uploading),
            UploadingMilliseconds = Between(uploading, completedAt),
        };
    }

    private DateTimeOffset? FirstDenoising()
    {
        var high = _phaseStarts.TryGetValue(JobPhase.DenoisingHighNoise, out var h) ? h : (DateTimeOffset?)null;
        var low = _phaseStarts.TryGetValue(JobPhase.DenoisingLowNoise, out var l) ? l : (DateTimeOffset?)null;
        return high is { } a && low is { } b ? (a < b ? a : b) : high ?? low;
    }

    /// <summary>Never negative: the grain's clock and the worker's may differ by a little.</summary>
    private static double Between(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalMilliseconds);
}
