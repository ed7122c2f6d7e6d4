using System.Globalization;

namespace MovaCluster.Model.Caching;

/// <summary>
/// One expert's TeaCache rescaling: a polynomial (coefficients highest power first, numpy <c>poly1d</c> order) mapping the
/// relative L1 change of the time modulation between consecutive steps to the expected relative L1 change of the layer
/// stack's residual, fitted on [<see cref="SignalMin"/>, <see cref="SignalMax"/>].
/// </summary>
public sealed record TeaCachePolynomial
{
    public TeaCachePolynomial(IReadOnlyList<double> coefficients, double signalMin, double signalMax, int samples = 0, double rmsError = 0)
        : this(coefficients, signalMin, signalMax, samples, rmsError, null, null)
    {
    }

    public TeaCachePolynomial(
        IReadOnlyList<double> coefficients, double signalMin, double signalMax, int samples, double rmsError, double? medianOutputChange, double? medianFirstLayersChange)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count == 0 || coefficients.Any(c => !double.IsFinite(c)))
        {
            throw new ArgumentException("A TeaCache polynomial needs at least one finite coefficient.", nameof(coefficients));
        }

        if (!(signalMin > 0 && signalMax >= signalMin && double.IsFinite(signalMax)))
        {
            throw new ArgumentException($"The fitted signal range must satisfy 0 < min ≤ max (got [{signalMin}, {signalMax}]).", nameof(signalMin));
        }

        Coefficients = [.. coefficients];
        SignalMin = signalMin;
        SignalMax = signalMax;
        Samples = samples;
        RmsError = rmsError;
        MedianOutputChange = medianOutputChange;
        MedianFirstLayersChange = medianFirstLayersChange;
    }

    /// <summary>Highest power first.</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>Smallest calibrated signal change.</summary>
    public double SignalMin { get; }

    /// <summary>Largest calibrated signal change.</summary>
    public double SignalMax { get; }

    /// <summary>Calibration samples the fit used.</summary>
    public int Samples { get; }

    /// <summary>Root-mean-square error of the fit on its samples.</summary>
    public double RmsError { get; }

    /// <summary>
    /// Median step-to-step change of the stack residual in the calibration runs: a step threshold below it rarely
    /// skips, one of k times it skips about k − 1 passes per full pass. Guidance for operators, not used by the cache.
    /// </summary>
    public double? MedianOutputChange { get; }

    /// <summary>Median step-to-step change of the first layer's residual: the same guidance for block thresholds.</summary>
    public double? MedianFirstLayersChange { get; }

    /// <summary>Exact text of the coefficients and range, to tell whether two runs used the same rescaling.</summary>
    public string Fingerprint =>
        string.Join(",", Coefficients.Append(SignalMin).Append(SignalMax).Select(c => c.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>
    /// The expected output change for a signal change, never negative. Inside the fitted range the polynomial; below it
    /// the line through the origin and the value at <see cref="SignalMin"/> (no change in, no change out); above it a
    /// line from the value at <see cref="SignalMax"/> whose slope is at least the chord from the origin, so a change
    /// larger than any calibrated one never looks smaller than the largest one. A non-finite signal gives +∞.
    /// </summary>
    public double Rescale(double signalChange)
    {
        if (!double.IsFinite(signalChange))
        {
            return double.PositiveInfinity;
        }

        if (signalChange <= 0)
        {
            return 0;
        }

        if (signalChange < SignalMin)
        {
            return Math.Max(0, Evaluate(SignalMin)) * signalChange / SignalMin;
        }

        if (signalChange <= SignalMax)
        {
            return Math.Max(0, Evaluate(signalChange));
        }

        var end = Math.Max(0, Evaluate(SignalMax));
        var slope = Math.Max(Math.Max(Derivative(SignalMax), end / SignalMax), 0);
        return end + slope * (signalChange - SignalMax);
    }

    /// <summary>The raw polynomial value (Horner).</summary>
    public double Evaluate(double x)
    {
        var value = 0.0;
        foreach (var c in Coefficients)
        {
            value = value * x + c;
        }

        return value;
    }

    private double Derivative(double x)
    {
        var degree = Coefficients.Count - 1;
        var value = 0.0;
        for (var i = 0; i < degree; i++)
        {
            value = value * x + Coefficients[i] * (degree - i);
        }

        return value;
    }

    public bool Equals(TeaCachePolynomial? other) => other is not null && Fingerprint == other.Fingerprint;

    public override int GetHashCode() => Fingerprint.GetHashCode(StringComparison.Ordinal);
}
