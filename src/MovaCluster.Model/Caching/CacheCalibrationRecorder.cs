namespace MovaCluster.Model.Caching;

/// <summary>
/// Collects <see cref="CacheCalibrationSample"/>s from uncached sampling runs (pass it as
/// <c>SamplerOptions.CacheCalibration</c>); <see cref="TeaCacheFitter"/> turns them into coefficients. Safe to share
/// between concurrent runs.
/// </summary>
public sealed class CacheCalibrationRecorder
{
    private readonly List<CacheCalibrationSample> _samples = [];
    private readonly Lock _lock = new();
    private int _runs;

    /// <summary>Runs that recorded into this recorder.</summary>
    public int Runs
    {
        get
        {
            lock (_lock)
            {
                return _runs;
            }
        }
    }

    /// <summary>A copy of the samples so far.</summary>
    public IReadOnlyList<CacheCalibrationSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    internal void BeginRun()
    {
        lock (_lock)
        {
            _runs++;
        }
    }

    internal void Add(CacheCalibrationSample sample)
    {
        lock (_lock)
        {
            _samples.Add(sample);
        }
    }
}
