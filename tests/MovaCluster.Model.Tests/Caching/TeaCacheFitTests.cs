using MovaCluster.Model.Caching;
using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Tests.Caching;

public sealed class TeaCacheFitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mova-teacache-").FullName;

    [Fact]
    public void The_fit_recovers_a_polynomial_from_its_samples()
    {
        static double Truth(double x) => 0.02 + (1.5 * x) - (4 * x * x) + (30 * x * x * x);
        var samples = new List<CacheCalibrationSample>();
        for (var i = 1; i <= 20; i++)
        {
            var x = i * 0.01;
            samples.Add(new CacheCalibrationSample(VideoExpert.HighNoise, i, 21, CfgBranch.Positive, x, Truth(x), null));
            samples.Add(new CacheCalibrationSample(VideoExpert.HighNoise, i, 21, CfgBranch.Negative, x, Truth(x), null));
        }

        var fit = TeaCacheFitter.Fit(samples).For(VideoExpert.HighNoise)!;

        Assert.Equal(5, fit.Coefficients.Count);
        Assert.Equal(0, fit.Coefficients[0], 6);
        Assert.Equal(30, fit.Coefficients[1], 5);
        Assert.Equal(-4, fit.Coefficients[2], 5);
        Assert.Equal(1.5, fit.Coefficients[3], 6);
        Assert.Equal(0.02, fit.Coefficients[4], 7);
        Assert.Equal((0.01, 0.2, 40), (fit.SignalMin, fit.SignalMax, fit.Samples));
        Assert.True(fit.RmsError < 1e-9);
    }

    [Fact]
    public void Few_distinct_signals_lower_the_degree_and_experts_are_fitted_apart()
    {
        var samples = new[]
        {
            new CacheCalibrationSample(VideoExpert.HighNoise, 1, 4, CfgBranch.Positive, 0.1, 0.3, 0.01),
            new CacheCalibrationSample(VideoExpert.HighNoise, 2, 4, CfgBranch.Positive, 0.2, 0.5, 0.03),
            new CacheCalibrationSample(VideoExpert.LowNoise, 3, 4, CfgBranch.Positive, 0.1, 0.1, null),
            new CacheCalibrationSample(VideoExpert.LowNoise, 3, 5, CfgBranch.Positive, 0.3, 0.5, null),
        };
        var coefficients = TeaCacheFitter.Fit(samples);
        var high = coefficients.For(VideoExpert.HighNoise)!;
        var low = coefficients.For(VideoExpert.LowNoise)!;
        Assert.Equal(2, high.Coefficients.Count);
        Assert.Equal(0.4, high.Evaluate(0.15), 12);
        Assert.Equal(0.3, low.Evaluate(0.2), 12);
        Assert.Equal((0.4, 0.02), (high.MedianOutputChange!.Value, high.MedianFirstLayersChange!.Value));
        Assert.Equal((0.3, null), (low.MedianOutputChange, low.MedianFirstLayersChange));
    }

    [Fact]
    public void A_fit_without_two_distinct_signals_explains_what_is_missing()
    {
        var samples = new[] { new CacheCalibrationSample(VideoExpert.LowNoise, 3, 4, CfgBranch.Positive, 0.1, 0.3, null) };
        Assert.Contains("two", Assert.Throws<InvalidOperationException>(() => TeaCacheFitter.Fit(samples)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => TeaCacheFitter.Fit([]));
    }

    [Fact]
    public void Rescaling_follows_the_polynomial_inside_the_range_and_stays_monotone_and_non_negative_outside()
    {
        // p(x) = -x² + x on [0.1, 0.4]: p(0.1) = 0.09, p(0.4) = 0.24, p'(0.4) = 0.2 < chord 0.6.
        var polynomial = new TeaCachePolynomial([-1.0, 1.0, 0.0], 0.1, 0.4);

        Assert.Equal(0.21, polynomial.Rescale(0.3), 12);
        Assert.Equal(0.045, polynomial.Rescale(0.05), 12);
        Assert.Equal(0, polynomial.Rescale(0));
        Assert.Equal(0, polynomial.Rescale(-1));
        Assert.Equal(0.24 + (0.6 * 0.1), polynomial.Rescale(0.5), 12);
        Assert.Equal(double.PositiveInfinity, polynomial.Rescale(double.NaN));
        Assert.Equal(0, new TeaCachePolynomial([-1.0, 0.0], 0.1, 0.4).Rescale(0.2));
    }

    [Fact]
    public void Coefficients_round_trip_through_teacache_json_next_to_the_checkpoint()
    {
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var original = new TeaCacheCoefficients(
            new Dictionary<VideoExpert, TeaCachePolynomial>
            {
                [VideoExpert.HighNoise] = new([0.1 / 3, -2e-7, 1.0], 0.004, 0.25, 12, 1e-4, 0.12, 0.07),
                [VideoExpert.LowNoise] = new([3.0, 0.5], 0.01, 0.5, 8, 2e-3),
            },
            new TeaCacheCalibrationInfo(3, 20, created, "3 uncached runs"));

        var path = original.Save(_folder);
        Assert.Equal(Path.Combine(_folder, TeaCacheCoefficients.FileName), path);
        var text = File.ReadAllText(path);
        Assert.Contains("\"video_dit\"", text, StringComparison.Ordinal);
        Assert.Contains("\"video_dit_2\"", text, StringComparison.Ordinal);
        Assert.Contains(TeaCacheCoefficients.Format, text, StringComparison.Ordinal);

        var loaded = TeaCacheCoefficients.TryLoad(_folder)!;
        foreach (var expert in Enum.GetValues<VideoExpert>())
        {
            Assert.Equal(original.For(expert), loaded.For(expert));
            Assert.Equal(original.For(expert)!.Samples, loaded.For(expert)!.Samples);
            Assert.Equal(original.For(expert)!.MedianOutputChange, loaded.For(expert)!.MedianOutputChange);
            Assert.Equal(original.For(expert)!.MedianFirstLayersChange, loaded.For(expert)!.MedianFirstLayersChange);
        }

        Assert.Equal(original.Calibration, loaded.Calibration);
        Assert.Null(TeaCacheCoefficients.TryLoad(Path.Combine(_folder, "nowhere")));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"format\":\"other/1\",\"experts\":{}}", "format")]
    [InlineData("{\"format\":\"mova-teacache/1\",\"experts\":{\"video_dit_3\":{}}}", "unknown expert")]
    [InlineData("{\"format\":\"mova-teacache/1\",\"experts\":{\"video_dit\":{\"coefficients\":[1.0],\"signal_min\":0.5,\"signal_max\":0.1}}}", "range")]
    [InlineData("{\"format\":\"mova-teacache/1\",\"experts\":{}}", "at least one expert")]
    public void A_malformed_file_is_refused_with_its_problem(string json, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, TeaCacheCoefficients.FileName), json);
        var failure = Assert.Throws<InvalidDataException>(() => TeaCacheCoefficients.TryLoad(_folder));
        Assert.Contains(problem, failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
