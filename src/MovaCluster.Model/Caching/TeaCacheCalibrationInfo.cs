namespace MovaCluster.Model.Caching;

/// <summary>Where a TeaCache fit came from: how many uncached runs and samples, when, and a free-form description.</summary>
public sealed record TeaCacheCalibrationInfo(int Runs, int Samples, DateTimeOffset CreatedUtc, string? Source = null);
