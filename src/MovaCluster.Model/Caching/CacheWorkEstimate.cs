namespace MovaCluster.Model.Caching;

/// <summary>
/// A running job's expected remaining work in uncached-step units, for the ETA. Warm-up and final steps run in full;
/// each step in between is expected to cost what the job's own steps in between have cost so far (measured from the
/// cache's records), and before any was measured what the tier's planning estimate says
/// (<see cref="CacheSettings.ExpectedSkippedFraction"/>, else the mean of <see cref="CacheForecast.Schedule"/>).
/// </summary>
public sealed class CacheWorkEstimate
{
    private readonly CacheSettings? _settings;
    private readonly int _steps;
    private readonly double _prior;
    private double _observedWork;
    private int _observedSteps;

    public CacheWorkEstimate(CacheSettings? settings, int steps, int layers = CacheForecast.MovaLayers, int sharedLayers = CacheForecast.MovaSharedLayers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _settings = settings is { NeverSkips: false } ? settings : null;
        _steps = steps;
        var middle = Enumerable.Range(0, steps).Where(InMiddle).ToList();
        var schedule = CacheForecast.Schedule(_settings, steps, layers, sharedLayers);
        _prior = _settings?.ExpectedSkippedFraction is { } skipped
            ? 1 - skipped
            : middle.Count == 0 ? 1 : middle.Average(k => schedule[k]);
    }

    /// <summary>Records the work of step <paramref name="step"/> (0-based): layers computed / an uncached step's.</summary>
    public void Observe(int step, double work)
    {
        if (InMiddle(step))
        {
            _observedWork += work;
            _observedSteps++;
        }
    }

    /// <summary>Expected work of steps [<paramref name="fromStep"/>, steps).</summary>
    public double Remaining(int fromStep)
    {
        var perStep = _observedSteps > 0 ? _observedWork / _observedSteps : _prior;
        var total = 0.0;
        for (var k = Math.Max(0, fromStep); k < _steps; k++)
        {
            total += InMiddle(k) ? perStep : 1;
        }

        return total;
    }

    private bool InMiddle(int step) => _settings is { } s && step >= s.WarmupSteps && step < _steps - s.FinalSteps;
}
