using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>
/// Fits TeaCache polynomials per expert by least squares on recorded (signal change, output change) samples of uncached
/// runs: y ≈ p(x) with p of <see cref="DefaultDegree"/> (lowered when there are fewer distinct signal values than
/// coefficients). The Vandermonde columns are scaled to unit norm before the solve (the signal changes are small, so
/// x⁴ would otherwise be ~1e-8 of the constant column).
/// </summary>
public static class TeaCacheFitter
{
    /// <summary>Degree TeaCache uses (4).</summary>
    public const int DefaultDegree = 4;

    public static TeaCacheCoefficients Fit(IReadOnlyCollection<CacheCalibrationSample> samples, int degree = DefaultDegree, TeaCacheCalibrationInfo? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        var usable = samples.Where(s => double.IsFinite(s.SignalChange) && double.IsFinite(s.OutputChange) && s.SignalChange > 0).ToList();
        var experts = new Dictionary<VideoExpert, TeaCachePolynomial>();
        foreach (var group in usable.GroupBy(s => s.Expert))
        {
            var fit = FitOne(group.Key, [.. group.Select(s => (s.SignalChange, s.OutputChange))], degree);
            var firstLayers = group.Where(s => s.FirstLayersChange is not null).Select(s => s.FirstLayersChange!.Value).ToList();
            experts[group.Key] = new TeaCachePolynomial(
                fit.Coefficients, fit.SignalMin, fit.SignalMax, fit.Samples, fit.RmsError, Median([.. group.Select(s => s.OutputChange)]), firstLayers.Count > 0 ? Median(firstLayers) : null);
        }

        if (experts.Count == 0)
        {
            throw new InvalidOperationException(
                $"No usable calibration samples ({samples.Count} recorded): each expert needs at least two consecutive uncached steps with a changing timestep.");
        }

        return new TeaCacheCoefficients(experts, calibration);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static TeaCachePolynomial FitOne(VideoExpert expert, IReadOnlyList<(double X, double Y)> points, int degree)
    {
        var distinct = points.Select(p => p.X).Distinct().Count();
        if (distinct < 2)
        {
            throw new InvalidOperationException(
                $"Expert {MovaDenoiserLoader.ExpertFolder(expert)} has {distinct} distinct signal value(s); a fit needs at least two (run more steps or step counts).");
        }

        var used = Math.Min(degree, distinct - 1);
        var columns = used + 1;
        var design = new double[points.Count * columns];
        var targets = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                design[(i * columns) + j] = Math.Pow(points[i].X, used - j);
            }

            targets[i] = points[i].Y;
        }

        var scales = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, points.Count).Sum(i => design[(i * columns) + j] * design[(i * columns) + j]));
            scales[j] = norm > 0 ? norm : 1;
            for (var i = 0; i < points.Count; i++)
            {
                design[(i * columns) + j] /= scales[j];
            }
        }

        double[] solution;
        using (var scope = torch.NewDisposeScope())
        {
            var a = torch.tensor(design, [points.Count, columns], torch.ScalarType.Float64);
            var b = torch.tensor(targets, [points.Count, 1], torch.ScalarType.Float64);
            solution = torch.linalg.lstsq(a, b).Solution.flatten().data<double>().ToArray();
        }

        var coefficients = solution.Select((c, j) => c / scales[j]).ToArray();
        var polynomial = new TeaCachePolynomial(coefficients, points.Min(p => p.X), points.Max(p => p.X));
        var rms = Math.Sqrt(points.Average(p => Math.Pow(polynomial.Evaluate(p.X) - p.Y, 2)));
        return new TeaCachePolynomial(coefficients, polynomial.SignalMin, polynomial.SignalMax, points.Count, rms);
    }
}
