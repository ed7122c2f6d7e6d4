namespace MovaCluster.Model.Caching;

/// <summary>
/// One uncached calibration run: a prompt and a size (<see cref="Image"/> is an optional reference image, relative to
/// the plan file; without one the run conditions on a mid-grey frame, as a job without an image does).
/// </summary>
public sealed record TeaCacheCalibrationRun
{
    public required string Prompt { get; init; }

    public string? NegativePrompt { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public int Frames { get; init; } = 193;

    public double Fps { get; init; } = 24.0;

    public int Steps { get; init; } = 50;

    public double CfgScale { get; init; } = 5.0;

    public long Seed { get; init; } = 42;

    public string? Image { get; init; }
}
